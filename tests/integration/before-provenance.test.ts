// Exports and backups made before logs recorded who stored them (tests/fixtures/
// before-provenance, written by the code of that time with test-only keys)
// still verify and restore, and a store that holds both kinds of log verifies,
// exports and backs up whole.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { CLI_ACTOR } from "@/lib/records/audit/security-events";
import { writeBackup } from "@/lib/features/backup/write-backup";
import { restoreBackup } from "@/lib/features/backup/restore";
import { getConfig } from "@/lib/foundation/config";
import { getDb, getMongoClient } from "@/lib/platform/db/client";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { publicKeySetFromSigner } from "@/lib/records/integrity/checkpoint-keys";
import { verifiableExport } from "@/lib/records/integrity/export";
import { verifyStoredLogs } from "@/lib/records/integrity/verify";
import { verifyExport } from "@/lib/records/integrity/verify-export";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { logsCollection } from "@/lib/records/logs/collection";
import { parseExportSelection } from "@/lib/records/logs/export-selection";
import { ingestLogs } from "@/lib/records/logs/ingest";
import type { LogInput } from "@/lib/records/logs/schemas";
import { setupAppDatabase } from "./support/app-db";
import { makeLogInputs } from "./support/log-inputs";

const FIXTURES = path.join(process.cwd(), "tests/fixtures/before-provenance");
// Test-only keys that signed the fixtures; they sign nothing else.
const FIXTURE_HMAC_KEY = "fixture-v1:6p_tLgam-KDfES8zDqfYMBgED2hxF0NL4iXt4Pt78M8";
const FIXTURE_CHECKPOINT_KEY = "fixture-v1-cp:MC4CAQAwBQYDK2VwBCIEIG4YmY7vG0JIoJMbR2N9HAWN3Hg0yUjhGHyRJdJ7MuHg";

setupAppDatabase("before_provenance", {
  LEDGERLINE_HMAC_KEYS: `${process.env.LEDGERLINE_HMAC_KEYS},${FIXTURE_HMAC_KEY}`,
  LEDGERLINE_CHECKPOINT_KEYS: `${process.env.LEDGERLINE_CHECKPOINT_KEYS},${FIXTURE_CHECKPOINT_KEY}`,
});

const keys = () => ({ publicKeys: publicKeySetFromSigner(getCheckpointSigner()), keyring: getKeyring() });
const fixtureLines = (name: string) =>
  readFileSync(path.join(FIXTURES, name), "utf8")
    .split("\n")
    .filter((line) => line !== "");
const dir = mkdtempSync(path.join(tmpdir(), "ledgerline-before-provenance-"));
const otherDatabase = `${process.env.MONGODB_DB}_again`;
let db: Db;

before(async () => {
  db = await getDb();
});

after(() => rmSync(dir, { recursive: true, force: true }));

async function exportLines(from: Db, query: string): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of verifiableExport(from, parseExportSelection(query), {
    publicKeys: getCheckpointSigner().publicKeys(),
    maxFutureSkewMs: 300_000,
  }))
    lines.push(JSON.stringify(line));
  return lines;
}

describe("a version 1 export", () => {
  it("verifies whole and filtered, MACs included", async () => {
    const whole = await verifyExport(fixtureLines("export-v1-all.ndjson"), keys());
    assert.deepEqual(whole.problems, []);
    assert.deepEqual([whole.ok, whole.valid, whole.omitted, whole.macs_checked], [true, 9, 0, true]);
    const failed = await verifyExport(fixtureLines("export-v1-failed.ndjson"), keys());
    assert.deepEqual(failed.problems, []);
    assert.equal(failed.ok, true);
    assert.ok(failed.omitted > 0 && failed.valid > 0);
  });

  it("still fails when one of its logs is edited", async () => {
    const lines = fixtureLines("export-v1-all.ndjson").map((line) =>
      line.replace('"user":"alice"', '"user":"mallory"'),
    );
    assert.equal((await verifyExport(lines, keys())).ok, false);
  });
});

describe("a version 1 backup", () => {
  it("restores into an empty database, which verifies clean", async () => {
    const result = await restoreBackup(db, path.join(FIXTURES, "backup"), keys(), CLI_ACTOR);
    assert.equal(result.status, "restored", JSON.stringify(result.check));
    assert.equal(result.added.logs, 9);
    assert.deepEqual(
      [result.added.totp_factors, result.totp_key],
      [0, null],
      "a version 1 backup holds no TOTP factors",
    );
    assert.deepEqual(
      [result.added.suppression_rules, result.suppression_removals_added],
      [0, 0],
      "nor suppression rules",
    );
    assert.equal(
      await logsCollection(db).countDocuments({ ingested_by: { $exists: true }, _id: { $regex: "^v1-" } }),
      0,
    );
    const report = await verifyStoredLogs(db, keys());
    assert.deepEqual(report.problems, []);
    assert.equal(report.ok, true);
  });

  it("takes new logs after it: the mixed store verifies, exports and filters on ingested_by with proof", async () => {
    await ingestLogs(db, makeLogInputs(4) as LogInput[], {
      keyring: getKeyring(),
      maxFutureSkewMs: 300_000,
      ingestedBy: "cli:test",
    });
    await writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 0 });
    assert.equal((await verifyStoredLogs(db, keys())).ok, true);

    const whole = await exportLines(db, "");
    const report = await verifyExport(whole, keys());
    assert.deepEqual(report.problems, []);

    const filtered = await exportLines(db, "ingested_by=cli%3Atest");
    const omitted = filtered
      .map((line) => JSON.parse(line) as { type: string; log_id?: string; ingested_by?: string })
      .filter((line) => line.type === "omitted");
    assert.ok(
      omitted.some((line) => line.ingested_by === undefined),
      "the version 1 logs are left out, with summaries that have no ingested_by",
    );
    const filteredReport = await verifyExport(filtered, keys());
    assert.deepEqual(filteredReport.problems, []);
    assert.equal(filteredReport.valid, 4);
  });

  it("and the mixed store's own backup (version 3) restores elsewhere and verifies", async () => {
    const { folder, manifest } = await writeBackup(db, {
      outDir: dir,
      databaseName: getConfig().mongodbDb,
      signer: getCheckpointSigner(),
      maxFutureSkewMs: 300_000,
    });
    assert.equal(manifest.format, "ledgerline/backup/v3");
    const other = (await getMongoClient()).db(otherDatabase);
    try {
      const result = await restoreBackup(other, folder, keys(), CLI_ACTOR);
      assert.equal(result.status, "restored", JSON.stringify(result.check));
      assert.equal(await logsCollection(other).countDocuments({ ingested_by: "cli:test" }), 4);
      assert.equal((await verifyStoredLogs(other, keys())).ok, true);
    } finally {
      await other.dropDatabase();
    }
  });
});
