import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readCsv } from "./read-csv";
import { readJsonArray, readNdjson } from "./read-json";
import { readSyslog } from "./read-syslog";
import { sniffFormat, utf8Text, type SourceItem } from "./source";

async function collect<T = SourceItem>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** The text in chunks of `size` characters, as a file stream would cut it. */
async function* chunked(text: string, size = 7): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

const lineOf = (items: SourceItem[]) =>
  items.map((item) => (item.kind === "header" ? "header" : `${item.kind}@${item.line}`));

describe("readCsv", () => {
  it("numbers each row by the line it starts on, across quoted line breaks, blank lines and chunk boundaries", async () => {
    const text = 'a,b,c\r\n1,"two\r\nlines",3\r\n\r\n4,5,6\r\n"x","y\r\n\r\nz",7\r\n8,9,10\r\n';
    const items = await collect(readCsv(chunked(text)));
    assert.deepEqual(lineOf(items), ["header", "row@2", "row@5", "row@6", "row@9"]);
    assert.deepEqual(items[0], { kind: "header", columns: ["a", "b", "c"] });
    assert.deepEqual((items[2] as { record: unknown }).record, { a: "4", b: "5", c: "6" });
  });

  it("reports rows with too few or too many cells, and an unclosed quote, by line", async () => {
    const text = 'a,b,c\n1,2\n1,2,3,4\n1,2,3\n"never closed,2,3\n5,6,7\n';
    const items = await collect(readCsv(chunked(text, 1000)));
    assert.deepEqual(lineOf(items), ["header", "broken@2", "broken@3", "row@4", "broken@5"]);
    assert.match((items[1] as { message: string }).message, /has 2 cells where the header has 3/);
    assert.match((items[2] as { message: string }).message, /has 4 cells/);
    assert.match((items[4] as { message: string }).message, /never closed/);
  });

  it("reads 20,000 rows in order with the right line numbers", async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `${i},"v${i}",x`);
    const items = await collect(readCsv(chunked(`n,v,w\n${rows.join("\n")}\n`, 65_536)));
    assert.equal(items.length, 20_001);
    const last = items.at(-1) as { line: number; record: Record<string, string> };
    assert.deepEqual([last.line, last.record.n], [20_001, "19999"]);
  });
});

describe("readNdjson and readJsonArray", () => {
  it("numbers NDJSON lines, skipping blank ones and reporting lines that are not objects", async () => {
    const items = await collect(readNdjson(chunked('{"a":1}\n\n{oops\n[1]\r\n{"b":2}')));
    assert.deepEqual(lineOf(items), ["row@1", "broken@3", "broken@4", "row@5"]);
    assert.deepEqual((items[3] as { record: unknown }).record, { b: 2 });
  });

  it("gives each array element the line it starts on", async () => {
    const text = '[\n  {"a": "x,\\"[y"},\n  {\n    "b": 2\n  }, 3,\n{"c":[1,{"d":4}]}]';
    const items = await collect(readJsonArray(chunked(text)));
    assert.deepEqual(lineOf(items), ["row@2", "row@3", "broken@5", "row@6"]);
  });

  it("refuses a JSON file over the size cap with a message naming NDJSON", async () => {
    await assert.rejects(collect(readJsonArray(chunked("[" + "1,".repeat(100) + "1]"), 50)), /import it as NDJSON/);
    await assert.rejects(collect(readJsonArray(chunked('"text"'))), /must hold an array/);
  });
});

describe("readSyslog", () => {
  it("yields a row per attempt with its line, and skipped lines with their reason, across CRLF and chunk boundaries", async () => {
    const text = [
      "Dec  7 10:00:01 web-1 sshd[1]: Invalid user a from 203.0.113.9 port 1",
      "Dec  7 10:00:01 web-1 sshd[1]: Failed password for invalid user a from 203.0.113.9 port 1 ssh2",
      "",
      "Dec  7 10:00:05 web-1 sshd[1]: message repeated 2 times: [ Failed password for invalid user a from 203.0.113.9 port 1 ssh2]",
    ].join("\r\n");
    const items = await collect(readSyslog(chunked(text), { receivedAt: new Date("2026-12-07T11:00:00Z") }));
    assert.deepEqual(
      items.map((item) =>
        item.kind === "skipped"
          ? `skipped@${item.line}:${item.reason}`
          : `${item.kind}@${"line" in item ? item.line : ""}`,
      ),
      ["skipped@1:same_attempt", "row@2", "row@4", "row@4"],
    );
    assert.equal(
      items[1]?.kind === "row" && items[1].record.message,
      "Dec  7 10:00:01 web-1 sshd[1]: Failed password for invalid user a from 203.0.113.9 port 1 ssh2",
    );
  });
});

describe("utf8Text and sniffFormat", () => {
  it("drops a byte-order mark and refuses bytes that are not UTF-8", async () => {
    const bom = async function* () {
      yield new Uint8Array([0xef, 0xbb, 0xbf, 0x61]);
    };
    assert.deepEqual(await collect(utf8Text(bom())), ["a"]);
    const latin1 = async function* () {
      yield new Uint8Array([0x61, 0xe9, 0x62]);
    };
    await assert.rejects(collect(utf8Text(latin1())), /not UTF-8/);
  });

  it("sniffs arrays as JSON, objects as NDJSON, syslog times or a PRI as syslog, and anything else as CSV", () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    assert.equal(sniffFormat(bytes("\uFEFF  [{}]")), "json");
    assert.equal(sniffFormat(bytes('{"a":1}\n')), "ndjson");
    assert.equal(sniffFormat(bytes("_id,timestamp")), "csv");
    assert.equal(sniffFormat(bytes("Dec  7 10:00:01 web-1 sshd[1]: Failed password")), "syslog");
    assert.equal(sniffFormat(bytes("2026-12-07T10:00:00.123456+00:00 web-1 sshd[1]: x")), "syslog");
    assert.equal(sniffFormat(bytes("<38>1 2026-12-07T10:00:00Z web-1 sshd 1 - - x")), "syslog");
  });
});
