import assert from "node:assert/strict";
import { describe, it } from "node:test";
import Papa from "papaparse";
import { seededRandom } from "@/lib/features/generators/random";
import {
  CSV_BOM,
  CSV_COLUMNS,
  csvChunks,
  csvHeaderLine,
  csvRowLines,
  neutraliseCsvCell,
  restoreCsvCell,
  type CsvLog,
} from "./csv";

function makeCsvLog(overrides: Partial<CsvLog> = {}): CsvLog {
  return {
    _id: "log-1",
    time: new Date("2026-11-26T08:00:00.000Z"),
    ip: "10.0.3.7",
    user: "alice",
    action: "login",
    status: "failed",
    source: "auth-1",
    ingested_by: "key:k7",
    message: "wrong password",
    metadata: { attempts: 3, delta: -1, agent: "curl" },
    sequence: 42,
    key_id: "k1",
    mac: "abc123",
    received_at: new Date("2026-11-26T08:00:01.500Z"),
    ...overrides,
  };
}

const parseCsv = (text: string) => Papa.parse<string[]>(text, { skipEmptyLines: true }).data;

async function* asyncOf<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

const SEPARATORS = [",", ";", "\t", "|", "\r", "\n"];
const FORMULA_START = /^"*[=+\-@\t\r]/;

describe("neutraliseCsvCell and restoreCsvCell", () => {
  it("puts a ' before a formula character at the start of a cell and after every separator", () => {
    assert.equal(neutraliseCsvCell("=1+1"), "'=1+1");
    assert.equal(neutraliseCsvCell("a;=1+1"), "a;'=1+1");
    assert.equal(neutraliseCsvCell('a,"=2+2'), "a,\"'=2+2");
    assert.equal(neutraliseCsvCell("x\t=1|@SUM(A1)\n-2"), "x\t'=1|'@SUM(A1)\n'-2");
    for (const cell of [
      "",
      "1",
      "a=b",
      " =1",
      "a; =1",
      "'plain",
      '{"delta":-1}',
      "2026-11-26T08:00:00.000Z",
      "10.0.3.7",
      "2001:db8::1",
    ]) {
      assert.equal(neutraliseCsvCell(cell), cell);
    }
  });

  it("adds one more ' where a run of them already stands before a formula character", () => {
    assert.equal(neutraliseCsvCell("'=1"), "''=1");
    assert.equal(neutraliseCsvCell("a;''-1"), "a;'''-1");
  });

  it("leaves no piece starting a formula, whatever the separator, and is undone exactly by restoreCsvCell", () => {
    const alphabet = ["'", "=", "+", "-", "@", "\t", "\r", "\n", "a", "1", " ", '"', ",", ";", "|"];
    const random = seededRandom(6);
    const generated = Array.from({ length: 20_000 }, () =>
      Array.from({ length: random.int(0, 8) }, () => random.pick(alphabet)).join(""),
    );
    const samples = [
      "😀;=1",
      "a😀\t-2",
      "'",
      "''",
      "'=",
      "''=",
      "'a",
      "=",
      "-1",
      "'-1",
      "''''@x",
      "\t'",
      "a'=",
      "a;=1+1",
      ";=2+2",
      "\t=1+1",
      "a\t\t=1",
      ...generated,
    ];
    const seen = new Map<string, string>();
    for (const cell of samples) {
      const neutralised = neutraliseCsvCell(cell);
      assert.equal(restoreCsvCell(neutralised), cell, JSON.stringify(cell));
      for (const separator of SEPARATORS) {
        for (const piece of neutralised.split(separator)) {
          assert.ok(
            !FORMULA_START.test(piece),
            `${JSON.stringify(cell)} split on ${JSON.stringify(separator)}: ${JSON.stringify(piece)}`,
          );
        }
      }
      const earlier = seen.get(neutralised);
      assert.ok(
        earlier === undefined || earlier === cell,
        `${JSON.stringify(earlier)} and ${JSON.stringify(cell)} collide`,
      );
      seen.set(neutralised, cell);
    }
  });
});

describe("csvHeaderLine and csvRowLines", () => {
  it("names the columns with the JSON field names", () => {
    assert.equal(
      csvHeaderLine(),
      "log_id,timestamp,ip,user,action,status,source,message,metadata,ingested_by,sequence,key_id,mac,received_at\r\n",
    );
  });

  it("writes one row per log with the UTC time and metadata as JSON", () => {
    const line = csvRowLines([makeCsvLog()]);
    assert.equal(
      line,
      'log-1,2026-11-26T08:00:00.000Z,10.0.3.7,alice,login,failed,auth-1,wrong password,"{""attempts"":3,""delta"":-1,""agent"":""curl""}",key:k7,42,k1,abc123,2026-11-26T08:00:01.500Z\r\n',
    );
  });

  it("leaves absent optional fields empty", () => {
    const [row] = parseCsv(csvRowLines([makeCsvLog({ source: undefined, message: undefined, metadata: undefined })]));
    assert.deepEqual([row![6], row![7], row![8]], ["", "", ""]);
  });

  it("quotes separators, quotes and line breaks and neutralises formulas, and reads back to the same values", () => {
    const hostile = makeCsvLog({
      user: "=cmd|' /C calc'!A0",
      action: "a,b",
      message: '-1 "quoted"\r\nsecond line',
      source: "@s",
    });
    const [row] = parseCsv(csvRowLines([hostile]));
    assert.deepEqual(row!.slice(3, 8), ["'=cmd|' /C calc'!A0", "a,b", "failed", "'@s", '\'-1 "quoted"\r\nsecond line']);
    assert.deepEqual(row!.map(restoreCsvCell).slice(3, 8), [
      hostile.user,
      hostile.action,
      "failed",
      hostile.source,
      hostile.message,
    ]);
  });
});

describe("csvChunks", () => {
  it("streams the BOM and header, then one chunk per batch", async () => {
    const logs = Array.from({ length: 5 }, (_, index) => makeCsvLog({ _id: `log-${index}`, sequence: index }));
    const chunks: string[] = [];
    for await (const chunk of csvChunks(asyncOf(logs), 2)) chunks.push(chunk);
    assert.equal(chunks.length, 4);
    assert.ok(chunks[0]!.startsWith(CSV_BOM));
    const rows = parseCsv(chunks.join("").slice(CSV_BOM.length));
    assert.deepEqual(rows[0], [...CSV_COLUMNS]);
    assert.deepEqual(
      rows.slice(1).map((row) => row[0]),
      ["log-0", "log-1", "log-2", "log-3", "log-4"],
    );
  });

  it("writes only the header for no logs", async () => {
    const chunks: string[] = [];
    for await (const chunk of csvChunks(asyncOf([]))) chunks.push(chunk);
    assert.deepEqual(chunks, [CSV_BOM + csvHeaderLine()]);
  });
});
