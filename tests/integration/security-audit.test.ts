// Ledgerline's own audit of reads and refusals, through the route handlers:
// who searched, viewed or exported what and how many rows, who was refused,
// aggregated per actor and kind so that a flood stays a couple of entries.
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import * as keysRoute from "@/app/api/keys/route";
import * as login from "@/app/api/auth/login/route";
import * as exportRoute from "@/app/api/logs/export/route";
import * as logsRoute from "@/app/api/logs/route";
import { flushAuditEvents } from "@/lib/records/audit/access-audit";
import { type Actor } from "@/lib/records/audit/security-events";
import { AUDIT_SOURCE } from "@/lib/records/logs/provenance";
import { createUser } from "@/lib/records/auth/users";
import { getDb } from "@/lib/platform/db/client";
import { viewLogDetail } from "@/lib/features/explorer/audited-reads";
import { ImportFileError } from "@/lib/features/import/source";
import { importLogs } from "@/lib/features/import/import-logs";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { publicKeySetFromSigner } from "@/lib/records/integrity/checkpoint-keys";
import { logsCollection } from "@/lib/records/logs/collection";
import { ingestLogs } from "@/lib/records/logs/ingest";
import type { LogInput } from "@/lib/records/logs/schemas";
import type { StoredLog } from "@/lib/records/logs/record";
import { createTestApiKey, setupAppDatabase } from "./support/app-db";
import { call, sessionFrom } from "./support/http";
import { makeLogInput } from "./support/log-inputs";

setupAppDatabase("security_audit", { TRUST_PROXY_HEADERS: "true" });

const BASE = Date.UTC(2026, 2, 1, 9, 0, 0);
const at = (minute: number) => new Date(BASE + minute * 60_000).toISOString();
const WINDOW = `from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(10))}`;
const VIEWER = { email: "reader@example.com", password: "viewer password 123" };

let db: Db;
let readKey: string;

before(async () => {
  db = await getDb();
  const rows = [1, 2, 3, 4].map((minute) =>
    makeLogInput({ log_id: `a${minute}`, timestamp: at(minute), user: minute < 4 ? "alice" : "bob" }),
  );
  await ingestLogs(db, rows as LogInput[], { keyring: getKeyring(), maxFutureSkewMs: 300_000, ingestedBy: "cli:test" });
  readKey = await createTestApiKey(db, ["read"]);
  await createUser(db, { email: VIEWER.email, role: "viewer" }, VIEWER.password, { user: "test" });
});

/** Ledgerline's own entries of one action, once every counted event is written. */
async function auditEntries(action: string, match: Record<string, unknown> = {}): Promise<StoredLog[]> {
  await flushAuditEvents();
  return logsCollection(db)
    .find({ source: AUDIT_SOURCE, action, ...match })
    .sort({ sequence: 1 })
    .toArray();
}

const fromAddress = (ip: string) => ({ headers: { "x-forwarded-for": ip } });

describe("refused requests", () => {
  it("50 refusals of one actor within a minute make at most 2 entries whose counts sum to 50", async () => {
    for (let index = 0; index < 50; index++) {
      const response = await call(logsRoute.GET, "GET", "/api/logs?user=x", {
        key: `not-a-key-${index}`,
        ...fromAddress("203.0.113.50"),
      });
      assert.equal(response.status, 401);
    }
    const entries = await auditEntries("request_refused", { ip: "203.0.113.50" });
    assert.ok(entries.length >= 1 && entries.length <= 2, `${entries.length} entries`);
    assert.equal(
      entries.reduce((sum, entry) => sum + Number(entry.metadata!.count), 0),
      50,
    );
    for (const entry of entries) {
      assert.deepEqual(
        [entry.user, entry.status, entry.metadata!.status_code, entry.metadata!.request],
        ["anonymous", "failed", 401, "GET /api/logs"],
      );
    }
  });

  it("names the signed-in user a route refuses with 403", async () => {
    const session = sessionFrom(
      (await call(login.POST, "POST", "/api/auth/login", { body: JSON.stringify(VIEWER), origin: "http://localhost" }))
        .headers,
    );
    assert.equal(
      (await call(keysRoute.GET, "GET", "/api/keys", { session, ...fromAddress("203.0.113.51") })).status,
      403,
    );
    const [entry] = await auditEntries("request_refused", { user: VIEWER.email });
    assert.deepEqual(
      [entry?.ip, entry?.metadata?.status_code, entry?.metadata?.request],
      ["203.0.113.51", 403, "GET /api/keys"],
    );
    assert.match(entry!.message!, /GET \/api\/keys refused with 403: Only administrators may do this\./);
  });
});

describe("reads", () => {
  it("GET /api/logs records who searched, with which filter, and how many rows were shown", async () => {
    const response = await call(logsRoute.GET, "GET", `/api/logs?${WINDOW}&user=alice&limit=2`, {
      key: readKey,
      ...fromAddress("198.51.100.7"),
    });
    assert.equal(response.body.items.length, 2);
    const [entry] = await auditEntries("logs_searched", { ip: "198.51.100.7" });
    assert.match(entry!.user, /^api-key:key-/);
    assert.equal(entry!.status, "success");
    const { filter, rows, via, count } = entry!.metadata!;
    assert.deepEqual([rows, via, count], [2, "api", 1]);
    assert.equal(filter, `from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(10))}&user=alice&limit=2`);
  });

  it("stores a hostile search text escaped and bounded", async () => {
    const hostile = `\u0007${"x".repeat(250)}\u001b[2J`;
    const response = await call(logsRoute.GET, "GET", `/api/logs?${WINDOW}&q=${encodeURIComponent(hostile)}`, {
      key: readKey,
      ...fromAddress("198.51.100.8"),
    });
    assert.equal(response.status, 200);
    const [entry] = await auditEntries("logs_searched", { ip: "198.51.100.8" });
    const filter = String(entry!.metadata!.filter);
    assert.ok(filter.length <= 256, `${filter.length} characters`);
    assert.ok(filter.endsWith("…"));
    assert.doesNotMatch(filter, /[\u0000-\u001f]/);
  });

  it("a log detail view records the log's id and who viewed it", async () => {
    const actor: Actor = { user: VIEWER.email, ip: "198.51.100.9" };
    const keys = { keyring: getKeyring(), publicKeys: publicKeySetFromSigner(getCheckpointSigner()) };
    assert.ok(await viewLogDetail(db, "a2", actor, keys));
    assert.equal(await viewLogDetail(db, "missing", actor, keys), null);
    const entries = await auditEntries("log_viewed", { ip: "198.51.100.9" });
    assert.deepEqual(
      entries.map((entry) => [entry.user, entry.metadata!.log_id, entry.metadata!.count]),
      [[VIEWER.email, "a2", 1]],
    );
  });

  it("GET /api/logs/export records the filter, the format and the rows written once the stream ends", async () => {
    const response = await call(exportRoute.GET, "GET", `/api/logs/export?${WINDOW}&user=alice&format=ndjson`, {
      key: readKey,
      ...fromAddress("198.51.100.10"),
    });
    assert.equal(response.status, 200);
    assert.equal(response.text.split("\n").filter((line) => line.startsWith('{"type":"log"')).length, 3);
    const [entry] = await auditEntries("logs_exported", { ip: "198.51.100.10" });
    assert.equal(entry!.status, "success");
    const { filter, format, rows, ended } = entry!.metadata!;
    assert.deepEqual([format, rows, ended], ["ndjson", 3, "complete"]);
    assert.match(String(filter), /&user=alice$/);
    assert.match(entry!.message!, /^exported 3 logs as NDJSON$/);
  });

  it("an export cancelled midway is recorded with the rows read so far", async () => {
    const response = await exportRoute.GET(
      new Request(`http://localhost/api/logs/export?${WINDOW}`, {
        headers: { authorization: `Bearer ${readKey}`, "x-forwarded-for": "198.51.100.11" },
      }),
      { params: Promise.resolve({}) },
    );
    await response.body!.cancel();
    const [entry] = await auditEntries("logs_exported", { ip: "198.51.100.11" });
    assert.deepEqual([entry!.status, entry!.metadata!.format, entry!.metadata!.ended], ["failed", "csv", "cancelled"]);
  });
});

describe("imports", () => {
  it("an import that fails midway is recorded with what it stored before the problem", async () => {
    const lines = [5, 6, 7]
      .map((minute) => JSON.stringify(makeLogInput({ log_id: `i${minute}`, timestamp: at(minute) })))
      .join("\n");
    const source = Readable.from([Buffer.from(`${lines}\n`), Buffer.from([0xff, 0xfe, 0x0a])]);
    const actor: Actor = { user: "admin@example.com", ip: "198.51.100.12" };
    const options = {
      fileName: "broken\u0000name.ndjson",
      keyring: getKeyring(),
      maxFutureSkewMs: 300_000,
      ingestedBy: "import:admin@example.com",
      batchSize: 3,
      actor,
    };
    await assert.rejects(importLogs(db, source, options), ImportFileError);
    const [entry] = await auditEntries("logs_import_failed", { ip: "198.51.100.12" });
    assert.deepEqual(
      [entry!.status, entry!.metadata!.imported, entry!.metadata!.format, entry!.metadata!.file],
      ["failed", 3, "ndjson", "broken\\u0000name.ndjson"],
    );
    assert.match(entry!.message!, /The file is not UTF-8 text/);
  });
});
