// Retention purges whole checkpoint ranges received before the cutoff under a
// signed purge record: verification stays clean, a forged record does not
// hide a deletion, and an interrupted purge is finished by the next run.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { CLI_ACTOR } from "@/lib/records/audit/security-events";
import { getDb } from "@/lib/platform/db/client";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { publicKeySetFromSigner } from "@/lib/records/integrity/checkpoint-keys";
import { latestCheckpoint } from "@/lib/records/integrity/checkpoints";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { purgesCollection } from "@/lib/records/integrity/purge-record";
import { verifyStoredLogs } from "@/lib/records/integrity/verify";
import { logsCollection } from "@/lib/records/logs/collection";
import { ingestLogs } from "@/lib/records/logs/ingest";
import type { LogInput } from "@/lib/records/logs/schemas";
import { runRetention } from "@/lib/features/retention/run-retention";
import { allPeriodDocs } from "@/lib/derived/rollups/period-docs";
import { setupAppDatabase } from "./support/app-db";
import { makeLogInputs } from "./support/log-inputs";

setupAppDatabase("retention");

const DAY = 86_400_000;
const now = Date.now();
let db: Db;
const ingest = (count: number) =>
  ingestLogs(db, makeLogInputs(count) as LogInput[], {
    keyring: getKeyring(),
    maxFutureSkewMs: 300_000,
    ingestedBy: "cli:test",
  });
const checkpoint = (daysAgo: number) =>
  writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 120_000, now: new Date(now - daysAgo * DAY) });
const verify = () =>
  verifyStoredLogs(db, { keyring: getKeyring(), publicKeys: publicKeySetFromSigner(getCheckpointSigner()) });
const retain = (days: number, dryRun = false) =>
  runRetention(db, {
    retentionMs: days * DAY,
    signer: getCheckpointSigner(),
    actor: CLI_ACTOR,
    dryRun,
    now: new Date(now),
  });

describe("retention", () => {
  before(async () => {
    db = await getDb();
    // Checkpoint 1 (40 days ago) and 2 (35 days ago) are due at 30 days; 3 (10 days ago) is not.
    await ingest(10);
    await checkpoint(40);
    await ingest(5);
    await checkpoint(35);
    await ingest(7);
    await checkpoint(10);
  });

  it("reports what it would purge without deleting anything on a dry run", async () => {
    const result = await retain(30, true);
    assert.deepEqual([result.through_checkpoint, result.through_sequence, result.logs_deleted], [2, 16, 15]);
    assert.equal(await logsCollection(db).countDocuments(), 22);
    assert.equal(await purgesCollection(db).countDocuments(), 0);
  });

  it("purges whole due ranges, keeps the rest, and verification stays clean", async () => {
    const baselines = db.collection<{ _id: string }>("baselines");
    const dayId = (daysAgo: number) => `baseline:${new Date(now - daysAgo * DAY).toISOString().slice(0, 10)}`;
    await baselines.insertMany([{ _id: dayId(45) }, { _id: dayId(20) }]);
    const result = await retain(30);
    assert.deepEqual([result.through_checkpoint, result.logs_deleted], [2, 15]);
    assert.ok(result.baseline_days_deleted >= 1);
    assert.equal(
      await baselines.countDocuments({ _id: dayId(45) }),
      0,
      "a day before the cutoff and the baseline period is gone",
    );
    assert.equal(await baselines.countDocuments({ _id: dayId(20) }), 1, "a day after the cutoff stays");
    // The rollups count exactly the checkpointed logs that remain.
    const checkpointed = await logsCollection(db).countDocuments({
      sequence: { $lt: (await latestCheckpoint(db))!.end_sequence },
    });
    const days = (await allPeriodDocs(db)).filter((doc) => doc.level === "day");
    assert.equal(
      days.reduce((sum, day) => sum + day.total, 0),
      checkpointed,
    );
    assert.ok(result.rollup_documents > 0);
    const remaining = await logsCollection(db)
      .find({}, { projection: { sequence: 1 } })
      .toArray();
    assert.ok(remaining.every((log) => log.sequence >= 16));
    const report = await verify();
    assert.deepEqual(report.problems, []);
    assert.equal(report.purged_through_sequence, 16);
  });

  it("finishes an interrupted purge on the next run", async () => {
    const [kept] = await logsCollection(db)
      .find({ sequence: { $gte: 16 } })
      .limit(1)
      .toArray();
    // A log left behind below the purge line, as a run stopped midway would leave it.
    await logsCollection(db).insertOne({ ...kept!, _id: "left-behind", sequence: 3 });
    assert.deepEqual((await verify()).problems, [], "left-behind logs under a purge are not problems");
    const result = await retain(30);
    assert.equal(result.logs_deleted, 1);
    assert.equal(await logsCollection(db).countDocuments({ sequence: { $lt: 16 } }), 0);
  });

  it("does not let a forged purge record hide deleted logs", async () => {
    const [victim] = await logsCollection(db)
      .find({ sequence: { $gte: 16, $lt: 23 } })
      .sort({ sequence: 1 })
      .limit(1)
      .toArray();
    await logsCollection(db).deleteOne({ _id: victim!._id });
    const genuine = await purgesCollection(db).findOne({ _id: 2 });
    await purgesCollection(db).insertOne({ ...genuine!, _id: 3, through_checkpoint: 3, through_sequence: 23 });
    const kinds = (await verify()).problems.map((p) => [p.kind, p.sequence ?? p.checkpoint]);
    assert.deepEqual(kinds, [
      ["bad-checkpoint", 3],
      ["deleted", victim!.sequence],
    ]);
  });
});
