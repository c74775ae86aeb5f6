// Property fuzz of the round trip of valid but hostile values: generated logs
// (HTML and script payloads, spreadsheet formulas at every piece start, CR,
// LF, tabs, operator-like and prototype words, odd Unicode, texts at their
// documented limits, metadata numbers such as 2**64 and 1e308) posted in
// batches of 50 come back byte-identical from GET /api/logs, from the CSV
// export after restoreCsvCell, and from the NDJSON export: first from the
// logs after the latest checkpoint (one is written every 10 batches), then
// all of them from the search layout.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import fc from "fast-check";
import type { Db } from "mongodb";
import Papa from "papaparse";
import { GET as exportGet } from "@/app/api/logs/export/route";
import { GET as logsGet, POST as logsPost } from "@/app/api/logs/route";
import { getDb } from "@/lib/platform/db/client";
import { getCheckpointSigner } from "@/lib/records/integrity/active-keyring";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { CSV_BOM, CSV_COLUMNS, restoreCsvCell } from "@/lib/records/logs/csv";
import { LOG_LIMITS } from "@/lib/records/logs/schemas";
import { createTestApiKey, setupAppDatabase } from "./support/app-db";
import {
  asJson,
  fuzz,
  jsonText,
  newLogId,
  STATUS_SPELLINGS,
  timestampIn,
  validLog,
  type LogFields,
} from "./support/hostile";
import { call } from "./support/http";

setupAppDatabase("fuzz_round_trip", { INGEST_RATE_LIMIT_PER_MINUTE: "1000000" });

const BATCH = 50;
const RUNS = 40;
const DAY_MS = 86_400_000;
const NOW = Date.now();
const RUN_KEY = "fuzz_run";
// Each run's logs fall on a day of their own (FIRST_DAY + the run's number), so its reads ask for a few days only.
const FIRST_DAY = Math.floor(NOW / DAY_MS) * DAY_MS - (RUNS + 5) * DAY_MS;
const dayTime = timestampIn(FIRST_DAY, FIRST_DAY + DAY_MS);

/** The timestamp text moved `days` later: its date part changed, its time and offset kept. */
function laterBy(timestamp: string, days: number): string {
  const [year, month, day] = timestamp.slice(0, 10).split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10) + timestamp.slice(10);
}

let db: Db;
let ingestKey: string;
let readKey: string;
let runNumber = 0;
/** Every log sent, by log_id, as it must come back. */
const sent = new Map<string, LogFields & { log_id: string }>();

before(async () => {
  db = await getDb();
  ingestKey = await createTestApiKey(db, ["ingest"]);
  readKey = await createTestApiKey(db, ["read"]);
  await writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 120_000 });
});

/** A log as every answer must give it back: the status as stored, metadata numbers as JSON writes them. */
function expected(log: LogFields & { log_id: string }) {
  return { ...log, status: STATUS_SPELLINGS[log.status]!, ...(log.metadata && { metadata: asJson(log.metadata) }) };
}

type Answered = Record<string, unknown> & { log_id: string };

function expectSame(answered: Answered, log: LogFields & { log_id: string }, where: string): void {
  const want = expected(log);
  for (const field of ["timestamp", "ip", "user", "action", "status", "source", "message"] as const) {
    assert.equal(answered[field], want[field], `${where}: ${field} of ${log.log_id} comes back byte-identical`);
  }
  assert.deepStrictEqual(answered.metadata, want.metadata, `${where}: metadata of ${log.log_id}`);
}

/** The CSV export's rows by log_id, every cell restored with restoreCsvCell. */
function csvRows(bytes: Uint8Array): Map<string, Record<string, string>> {
  const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  assert.ok(text.startsWith(CSV_BOM));
  const { data, errors } = Papa.parse<string[]>(text.slice(CSV_BOM.length), { newline: "\r\n", skipEmptyLines: true });
  assert.deepEqual(errors, []);
  const [header, ...rows] = data;
  assert.deepEqual(header, [...CSV_COLUMNS]);
  return new Map(
    rows.map((row) => [
      restoreCsvCell(row[0]!),
      Object.fromEntries(CSV_COLUMNS.map((name, index) => [name, restoreCsvCell(row[index]!)])),
    ]),
  );
}

function expectSameInCsv(row: Record<string, string> | undefined, log: LogFields & { log_id: string }): void {
  assert.ok(row, `${log.log_id} is in the CSV`);
  const want = expected(log);
  for (const field of ["ip", "user", "action", "status", "source", "message"] as const) {
    assert.equal(
      row[field],
      want[field] ?? "",
      `CSV: ${field} of ${log.log_id} reads back byte-identical after restoreCsvCell`,
    );
  }
  assert.equal(
    row.timestamp,
    new Date(log.timestamp!).toISOString(),
    `CSV: timestamp of ${log.log_id} is its UTC time`,
  );
  assert.deepStrictEqual(
    row.metadata ? JSON.parse(row.metadata) : undefined,
    want.metadata,
    `CSV: metadata of ${log.log_id}`,
  );
}

/** What the three reads give for a filter: GET /api/logs items, the CSV rows and the NDJSON log lines, by log_id. */
async function readBack(filter: string) {
  const api = await call(logsGet, "GET", `/api/logs?${filter}&limit=500`, { key: readKey });
  assert.equal(api.status, 200, api.text.slice(0, 300));
  const csv = await call(exportGet, "GET", `/api/logs/export?${filter}`, { key: readKey });
  assert.equal(csv.status, 200, csv.text.slice(0, 300));
  const ndjson = await call(exportGet, "GET", `/api/logs/export?${filter}&format=ndjson`, { key: readKey });
  assert.equal(ndjson.status, 200, ndjson.text.slice(0, 300));
  const lines = ndjson.text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Answered & { type: string });
  return {
    api: new Map((api.body.items as Answered[]).map((item) => [item.log_id, item])),
    csv: csvRows(csv.bytes),
    ndjson: new Map(lines.filter((line) => line.type === "log").map((line) => [line.log_id, line])),
  };
}

function expectAllSame(read: Awaited<ReturnType<typeof readBack>>, logs: (LogFields & { log_id: string })[]): void {
  for (const [name, answered] of [
    ["GET /api/logs", read.api],
    ["NDJSON", read.ndjson],
  ] as const) {
    assert.equal(answered.size, logs.length, `${name} gives back every log of the run`);
    for (const log of logs) {
      const item = answered.get(log.log_id);
      assert.ok(item, `${name} gives ${log.log_id}`);
      expectSame(item, log, name);
    }
  }
  assert.equal(read.csv.size, logs.length, "the CSV holds every log of the run");
  for (const log of logs) expectSameInCsv(read.csv.get(log.log_id), log);
}

/** A run's logs, each with a timestamp (else the receive time stands in), tagged with the run in its metadata (the filter that reads them back) and at most 32 metadata keys. */
const runLogs = fc.array(
  fc.tuple(validLog(dayTime), dayTime).map(([log, timestamp]) => ({ ...log, timestamp: log.timestamp ?? timestamp })),
  { minLength: BATCH, maxLength: BATCH },
);

function tagged(logs: LogFields[], run: string, day: number): (LogFields & { log_id: string })[] {
  return logs.map((log) => ({
    ...log,
    log_id: newLogId(),
    timestamp: laterBy(log.timestamp!, day),
    metadata: {
      ...Object.fromEntries(Object.entries(log.metadata ?? {}).slice(0, LOG_LIMITS.metadataKeys - 1)),
      [RUN_KEY]: run,
    },
  }));
}

/** The filter of one run's logs: its tag, and the days its times (offsets of up to a day either way) may fall on. */
function runFilter(run: string, day: number): string {
  const from = new Date(FIRST_DAY + (day - 1) * DAY_MS).toISOString();
  const to = new Date(FIRST_DAY + (day + 2) * DAY_MS).toISOString();
  return `meta.${RUN_KEY}=${run}&from=${from}&to=${to}`;
}

describe("fuzz: hostile values round trip", () => {
  it(`gives ${RUNS * BATCH} generated logs (${RUNS} batches of ${BATCH}) back byte-identical from GET /api/logs, the CSV and the NDJSON export`, async () => {
    await fuzz(
      `POST /api/logs then GET /api/logs, CSV, NDJSON (${BATCH} logs a run)`,
      runLogs,
      async (generated) => {
        const day = runNumber++;
        const run = `r${day}`;
        const logs = tagged(generated, run, day);
        const posted = await call(logsPost, "POST", "/api/logs", { key: ingestKey, body: jsonText(logs) });
        assert.equal(posted.status, 201, posted.text.slice(0, 500));
        for (const log of logs) sent.set(log.log_id, log);
        expectAllSame(await readBack(runFilter(run, day)), logs);
        // Later runs read their logs from the layout's tail after a checkpoint, as a live store does.
        if (runNumber % 10 === 0) await writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 120_000 });
      },
      RUNS,
      { shrink: false },
    );
  });

  it("gives every one of them back the same from the search layout once a checkpoint covers them", async () => {
    await writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 120_000 });
    const logs = [...sent.values()];
    for (const day of [0, 1, RUNS - 1])
      expectAllSame(
        await readBack(runFilter(`r${day}`, day)),
        logs.filter((log) => log.metadata![RUN_KEY] === `r${day}`),
      );
    const all = await readBack("");
    for (const log of logs) {
      expectSameInCsv(all.csv.get(log.log_id), log);
      expectSame(all.ndjson.get(log.log_id)!, log, "NDJSON of everything");
    }
  });
});
