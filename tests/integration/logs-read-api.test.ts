// GET /api/logs and GET /api/logs/export (CSV) as API clients call them.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import Papa from "papaparse";
import * as exportRoute from "@/app/api/logs/export/route";
import * as logsRoute from "@/app/api/logs/route";
import { getDb } from "@/lib/platform/db/client";
import { getKeyring } from "@/lib/records/integrity/active-keyring";
import { verifyLogMac } from "@/lib/records/integrity/mac";
import { CSV_COLUMNS, restoreCsvCell } from "@/lib/records/logs/csv";
import { ingestLogs } from "@/lib/records/logs/ingest";
import type { LogInput } from "@/lib/records/logs/schemas";
import { createTestApiKey, setupAppDatabase } from "./support/app-db";
import { call } from "./support/http";
import { makeLogInput } from "./support/log-inputs";

setupAppDatabase("logs_read_api");

const BASE = Date.UTC(2026, 2, 1, 9, 0, 0);
const at = (minute: number) => new Date(BASE + minute * 60_000).toISOString();
const ROWS = [
  makeLogInput({
    log_id: "r1",
    timestamp: at(1),
    ip: "10.0.3.4",
    status: "failed",
    user: "alice",
    message: '=HYPERLINK("http://evil")',
  }),
  makeLogInput({ log_id: "r2", timestamp: at(2), ip: "10.0.3.9", status: "success", user: "alice" }),
  makeLogInput({ log_id: "r3", timestamp: at(3), ip: "10.0.4.1", status: "failed", user: "bob", message: "-1+2" }),
  makeLogInput({
    log_id: "r4",
    timestamp: at(4),
    ip: "10.0.3.200",
    status: "failed",
    user: '{"$ne":null}',
    metadata: { attempts: -3, note: "@home" },
  }),
  makeLogInput({
    log_id: "r5",
    timestamp: at(5),
    ip: "10.0.3.5",
    status: "failed",
    user: "carol",
    message: 'line one\nline two, "quoted"',
  }),
];
const WINDOW = `from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(10))}`;

let db: Db;
let readKey: string;

before(async () => {
  db = await getDb();
  await ingestLogs(db, ROWS as LogInput[], { keyring: getKeyring(), maxFutureSkewMs: 300_000, ingestedBy: "cli:test" });
  readKey = await createTestApiKey(db, ["read"]);
});

const get = (url: string, key: string | undefined = readKey) => call(logsRoute.GET, "GET", url, { key });

describe("GET /api/logs", () => {
  it("returns the matching logs newest first under their snake_case names, each still verifiable", async () => {
    const response = await get(`/api/logs?${WINDOW}&status=failed&ip=10.0.3.0/24`);
    assert.equal(response.status, 200);
    assert.deepEqual(
      response.body.items.map((item: { log_id: string }) => item.log_id),
      ["r5", "r4", "r1"],
    );
    assert.deepEqual(Object.keys(response.body).sort(), ["items", "next_cursor", "prev_cursor"]);
    assert.equal(response.body.next_cursor, null);
    const item = response.body.items[2];
    assert.deepEqual(Object.keys(item).sort(), [
      "action",
      "ingested_by",
      "ip",
      "key_id",
      "log_id",
      "mac",
      "message",
      "received_at",
      "sequence",
      "status",
      "timestamp",
      "user",
    ]);
    assert.equal(verifyLogMac({ ...item, received_at: new Date(item.received_at) }, getKeyring()), "valid");
  });

  it("pages by cursor without skipping or repeating, in both orders", async () => {
    for (const [sort, expected] of [
      ["desc", ["r5", "r4", "r3", "r2", "r1"]],
      ["asc", ["r1", "r2", "r3", "r4", "r5"]],
    ] as const) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const response = await get(`/api/logs?${WINDOW}&sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
        assert.equal(response.status, 200);
        seen.push(...response.body.items.map((item: { log_id: string }) => item.log_id));
        cursor = response.body.next_cursor;
      } while (cursor);
      assert.deepEqual(seen, expected);
    }
  });

  it("pages back with before from the last page to the first", async () => {
    const pages: string[][] = [];
    let response = await get(`/api/logs?${WINDOW}&limit=2`);
    while (response.body.next_cursor)
      response = await get(`/api/logs?${WINDOW}&limit=2&cursor=${response.body.next_cursor}`);
    pages.unshift(response.body.items.map((item: { log_id: string }) => item.log_id));
    while (response.body.prev_cursor) {
      response = await get(`/api/logs?${WINDOW}&limit=2&before=${response.body.prev_cursor}`);
      assert.equal(response.status, 200);
      pages.unshift(response.body.items.map((item: { log_id: string }) => item.log_id));
    }
    assert.deepEqual(pages, [["r5", "r4"], ["r3", "r2"], ["r1"]]);
  });

  it("treats operator-looking values as literal text and names bad or unknown parameters", async () => {
    const literal = await get(`/api/logs?${WINDOW}&user=${encodeURIComponent('{"$ne":null}')}`);
    assert.deepEqual(
      literal.body.items.map((item: { log_id: string }) => item.log_id),
      ["r4"],
    );

    const cases: [string, RegExp][] = [
      ["user[$ne]=x", /user\[\$ne\]/],
      ["limit=501", /limit/],
      ["ip=10.0.3.5/24", /did you mean 10\.0\.3\.0\/24/],
      ["range=7d&from=2026-01-01T00:00:00Z", /range/],
      ["cursor=bm9wZQ", /cursor/],
      ["sort=asc&sort=desc", /sort.*given 2 times/],
      ["status=failed&status=lost", /status/],
      ["exclude_ip=10.0.3.5/24", /exclude_ip.*did you mean 10\.0\.3\.0\/24/],
      ["meta.$where=1", /meta\.\$where/],
      ["exclude_meta.a..b=1", /exclude_meta\.a\.\.b/],
      [Array.from({ length: 21 }, (_, index) => `user=u${index}`).join("&"), /user.*at most 20 values/],
      ["cursor=eyJ0IjoxLCJzIjoxLCJvIjoiZGVzYyJ9&before=eyJ0IjoxLCJzIjoxLCJvIjoiZGVzYyJ9", /before/],
    ];
    for (const [query, message] of cases) {
      const response = await get(`/api/logs?${query}`);
      assert.equal(response.status, 400, query);
      assert.equal(response.body.error.code, "validation_failed");
      assert.match(JSON.stringify(response.body.error.details), message, query);
    }
  });

  it("takes several values, exclusions and metadata keys, and pages through them by next_cursor with the same parameters", async () => {
    const ids = (response: { body: { items: { log_id: string }[] } }) => response.body.items.map((item) => item.log_id);
    const query = `${WINDOW}&user=alice&user=bob&user=carol&exclude_ip=10.0.4.0/24&exclude_status=success&limit=1`;
    const seen: string[] = [];
    let response = await get(`/api/logs?${query}`);
    for (;;) {
      assert.equal(response.status, 200);
      seen.push(...ids(response));
      if (!response.body.next_cursor) break;
      response = await get(`/api/logs?${query}&cursor=${response.body.next_cursor}`);
    }
    assert.deepEqual(seen, ["r5", "r1"]);
    assert.deepEqual(ids(await get(`/api/logs?${query}&before=${response.body.prev_cursor}`)), ["r5"]);
    assert.deepEqual(ids(await get(`/api/logs?${WINDOW}&meta.attempts=-3`)), ["r4"]);
    assert.deepEqual(ids(await get(`/api/logs?${WINDOW}&meta.note=%40home&meta.note=away`)), ["r4"]);
    assert.deepEqual(ids(await get(`/api/logs?${WINDOW}&exclude_meta.attempts=-3&status=failed`)), ["r5", "r3", "r1"]);
  });

  it("needs a read-scoped key or a session", async () => {
    assert.equal((await get("/api/logs", "")).status, 401);
    assert.equal((await get("/api/logs", await createTestApiKey(db, ["ingest"]))).status, 403);
  });
});

describe("GET /api/logs/export (CSV)", () => {
  it("streams every matching row with neutralised formula cells, named after the time range", async () => {
    const response = await call(exportRoute.GET, "GET", `/api/logs/export?${WINDOW}&status=failed&sort=asc`, {
      key: readKey,
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type")!, /^text\/csv/);
    assert.equal(
      response.headers.get("content-disposition"),
      'attachment; filename="ledgerline-logs-20260301T0900Z-20260301T0910Z.csv"',
    );
    // The body starts with a byte-order mark, which decoding the body as text removes (csv.test.ts checks it is
    // written).
    const parsed = Papa.parse<Record<string, string>>(response.text, { header: true, skipEmptyLines: true });
    assert.deepEqual(parsed.errors, []);
    assert.deepEqual(parsed.meta.fields, [...CSV_COLUMNS]);
    assert.deepEqual(
      parsed.data.map((row) => row.log_id),
      ["r1", "r3", "r4", "r5"],
    );
    const byId = new Map(parsed.data.map((row) => [row.log_id, row]));
    assert.equal(byId.get("r1")!.message, '\'=HYPERLINK("http://evil")');
    assert.equal(restoreCsvCell(byId.get("r1")!.message!), '=HYPERLINK("http://evil")');
    assert.equal(byId.get("r3")!.message, "'-1+2");
    assert.equal(byId.get("r4")!.metadata, '{"attempts":-3,"note":"@home"}');
    assert.equal(byId.get("r5")!.message, 'line one\nline two, "quoted"');
    assert.equal(byId.get("r1")!.timestamp, at(1));
  });

  it("exports by several values and exclusions, the file still named after the time range", async () => {
    const response = await call(
      exportRoute.GET,
      "GET",
      `/api/logs/export?${WINDOW}&user=alice&user=carol&exclude_status=success&exclude_meta.note=x`,
      { key: readKey },
    );
    assert.equal(response.status, 200);
    assert.equal(
      response.headers.get("content-disposition"),
      'attachment; filename="ledgerline-logs-20260301T0900Z-20260301T0910Z.csv"',
    );
    const parsed = Papa.parse<Record<string, string>>(response.text, { header: true, skipEmptyLines: true });
    assert.deepEqual(
      parsed.data.map((row) => row.log_id),
      ["r5", "r1"],
    );
  });

  it("refuses bad filters before streaming anything", async () => {
    const response = await call(exportRoute.GET, "GET", "/api/logs/export?format=xml", { key: readKey });
    assert.equal(response.status, 400);
    assert.match(JSON.stringify(response.body.error.details), /format/);
  });
});
