// Provenance: every stored log says who stored it (`ingested_by`), under its
// MAC and in its checkpoint leaf, so a filtered export proves that a log it
// leaves out was stored by someone else; a client cannot choose the value.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import * as logsRoute from "@/app/api/logs/route";
import { AUDIT_SOURCE } from "@/lib/records/logs/provenance";
import { getDb } from "@/lib/platform/db/client";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { publicKeySetFromSigner } from "@/lib/records/integrity/checkpoint-keys";
import { verifiableExport } from "@/lib/records/integrity/export";
import { verifyStoredLogs } from "@/lib/records/integrity/verify";
import { verifyExport } from "@/lib/records/integrity/verify-export";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { logsCollection } from "@/lib/records/logs/collection";
import { parseExportSelection } from "@/lib/records/logs/export-selection";
import { INGESTED_BY_LEDGERLINE } from "@/lib/records/logs/provenance";
import { createTestApiKey, setupAppDatabase } from "./support/app-db";
import { call } from "./support/http";
import { makeLogInputs } from "./support/log-inputs";

setupAppDatabase("provenance");

let db: Db;
let billingKey: string;
let webKey: string;
const idOf = (key: string) => `key:${key.split("_")[1]}`;
const post = (key: string, body: unknown) =>
  call(logsRoute.POST, "POST", "/api/logs", { key, body: JSON.stringify(body) });
const keys = () => ({ publicKeys: publicKeySetFromSigner(getCheckpointSigner()), keyring: getKeyring() });

before(async () => {
  db = await getDb();
  billingKey = await createTestApiKey(db, ["ingest", "read"]);
  webKey = await createTestApiKey(db, ["ingest", "read"]);
  assert.equal((await post(billingKey, makeLogInputs(3, { source: "billing-api" }))).status, 201);
  assert.equal((await post(webKey, makeLogInputs(2, { source: "web" }))).status, 201);
  await writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 0 });
});

describe("ingested_by", () => {
  it("records the API key that sent each log, and Ledgerline for its own audit entries", async () => {
    const stored = await logsCollection(db).find({}).toArray();
    const bySource = (source: string) =>
      new Set(stored.filter((log) => log.source === source).map((log) => log.ingested_by));
    assert.deepEqual(bySource("billing-api"), new Set([idOf(billingKey)]));
    assert.deepEqual(bySource("web"), new Set([idOf(webKey)]));
    assert.deepEqual(bySource(AUDIT_SOURCE), new Set([INGESTED_BY_LEDGERLINE]));
  });

  it("cannot be sent by a client: 400 naming the field, nothing stored", async () => {
    const before = await logsCollection(db).countDocuments({});
    const response = await post(
      webKey,
      makeLogInputs(2).map((input) => ({ ...input, ingested_by: INGESTED_BY_LEDGERLINE })),
    );
    assert.equal(response.status, 400);
    assert.match(JSON.stringify(response.body.error.details), /ingested_by/);
    assert.equal(await logsCollection(db).countDocuments({}), before);
  });

  it("is shown by GET /api/logs and filters it, kept or excluded", async () => {
    const list = async (query: string) => {
      const response = await call(
        logsRoute.GET,
        "GET",
        `/api/logs?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&${query}`,
        { key: webKey },
      );
      assert.equal(response.status, 200, response.text);
      return (response.body.items as { source?: string; ingested_by?: string }[]).filter(
        (item) => item.source !== AUDIT_SOURCE,
      );
    };
    const billing = await list(`ingested_by=${encodeURIComponent(idOf(billingKey))}`);
    assert.equal(billing.length, 3);
    assert.ok(billing.every((item) => item.ingested_by === idOf(billingKey)));
    const others = await list(`exclude_ingested_by=${encodeURIComponent(idOf(billingKey))}`);
    assert.deepEqual(new Set(others.map((item) => item.ingested_by)), new Set([idOf(webKey)]));
  });

  it("is under the MAC: changing it in the database is reported as tampering", async () => {
    const victim = await logsCollection(db).findOne({ source: "web" });
    await logsCollection(db).updateOne({ _id: victim!._id }, { $set: { ingested_by: idOf(billingKey) } });
    try {
      const report = await verifyStoredLogs(db, keys());
      assert.equal(report.ok, false);
      assert.ok(
        report.problems.some((problem) => problem.kind === "edited" && problem.log_id === victim!._id),
        JSON.stringify(report.problems),
      );
    } finally {
      await logsCollection(db).updateOne({ _id: victim!._id }, { $set: { ingested_by: victim!.ingested_by! } });
    }
    assert.equal((await verifyStoredLogs(db, keys())).ok, true);
  });
});

describe("an export filtered on ingested_by", () => {
  async function exportLines(query: string): Promise<string[]> {
    const lines: string[] = [];
    for await (const line of verifiableExport(db, parseExportSelection(query), {
      publicKeys: getCheckpointSigner().publicKeys(),
      maxFutureSkewMs: 300_000,
    }))
      lines.push(JSON.stringify(line));
    return lines;
  }
  const query = () => `ingested_by=${encodeURIComponent(idOf(billingKey))}`;

  it("holds the key's logs and proves, from the leaves, that the others were stored by someone else", async () => {
    const lines = await exportLines(query());
    const parsed = lines.map((line) => JSON.parse(line) as { type: string; version?: string; ingested_by?: string });
    assert.equal(parsed[0]!.version, "ledgerline/export/v2");
    assert.deepEqual(
      new Set(parsed.filter((line) => line.type === "log").map((line) => line.ingested_by)),
      new Set([idOf(billingKey)]),
    );
    const omitted = parsed.filter((line) => line.type === "omitted");
    assert.ok(omitted.length >= 2);
    assert.ok(omitted.every((line) => line.ingested_by !== idOf(billingKey) && line.ingested_by !== undefined));
    const report = await verifyExport(lines, keys());
    assert.deepEqual(report.problems, []);
    assert.equal(report.ok, true);
  });

  it("fails to verify when an omitted line's ingested_by is changed, to hide a matching log or not", async () => {
    const lines = await exportLines(query());
    const index = lines.findIndex((line) => line.includes('"type":"omitted"') && line.includes(idOf(webKey)));
    for (const forged of [idOf(billingKey), "key:someone-else"]) {
      const edited = [...lines];
      edited[index] = lines[index]!.replace(idOf(webKey), forged);
      const report = await verifyExport(edited, keys());
      assert.equal(report.ok, false, forged);
    }
  });
});
