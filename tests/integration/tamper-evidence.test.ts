// Every attack the verifier must find, each done directly in the database
// after logs were ingested and checkpointed, and the clean cases it must pass.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { MongoClient, type Db } from "mongodb";
import { getConfig } from "@/lib/foundation/config";
import { ensureIndexes } from "@/lib/platform/db/indexes";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { publicKeySetFromSigner } from "@/lib/records/integrity/checkpoint-keys";
import { checkpointsCollection } from "@/lib/records/integrity/checkpoints";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { verifyStoredLogs } from "@/lib/records/integrity/verify";
import { logsCollection } from "@/lib/records/logs/collection";
import { ingestLogs } from "@/lib/records/logs/ingest";
import { reserveSequences } from "@/lib/records/logs/sequence";
import type { LogInput } from "@/lib/records/logs/schemas";
import { makeLogInputs } from "./support/log-inputs";

let client: MongoClient;
const databases: Db[] = [];

before(async () => {
  client = await new MongoClient(getConfig().mongodbUri).connect();
});
after(async () => {
  for (const db of databases) await db.dropDatabase();
  await client.close();
});

const ingest = (db: Db, inputs: unknown[]) =>
  ingestLogs(db, inputs as LogInput[], { keyring: getKeyring(), maxFutureSkewMs: 300_000, ingestedBy: "cli:test" });
const checkpoint = (db: Db, now?: Date) =>
  writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 120_000, now });
const verify = (db: Db) =>
  verifyStoredLogs(db, { keyring: getKeyring(), publicKeys: publicKeySetFromSigner(getCheckpointSigner()) });
const kinds = (report: Awaited<ReturnType<typeof verify>>) =>
  report.problems.map((p) => [p.kind, p.sequence ?? p.checkpoint]);

/** A fresh database with 20 logs under checkpoint 1, including one void (a duplicate in the second batch). */
async function scenario() {
  const db = client.db(`test_tamper_${randomBytes(4).toString("hex")}`);
  databases.push(db);
  await ensureIndexes(db);
  const first = makeLogInputs(10);
  await ingest(db, first);
  await ingest(db, [first[0], ...makeLogInputs(10)]); // first[0] is a duplicate: its number becomes a void
  await checkpoint(db);
  const logs = await logsCollection(db).find().sort({ sequence: 1 }).toArray();
  return { db, logs };
}

describe("verification of an untouched history", () => {
  it("passes after 8 concurrent writers, failed inserts, a stale reservation and pending logs", async () => {
    const { db } = await scenario();
    const shared = makeLogInputs(5);
    await Promise.all(Array.from({ length: 8 }, () => ingest(db, [...makeLogInputs(10), ...shared])));
    await reserveSequences(db, 3); // an app that died after reserving: voided once stale
    await checkpoint(db, new Date(Date.now() + 10 * 60_000));
    await ingest(db, makeLogInputs(4)); // newer than the last checkpoint
    const report = await verify(db);
    assert.deepEqual(report.problems, []);
    assert.equal(report.ok, true);
    assert.equal(report.checked, 20 + 85 + 4);
    assert.equal(report.valid, report.checked);
    assert.equal(report.pending, 4);
    assert.equal(report.checkpoints, 2);
  });
});

describe("attacks found by the verifier", () => {
  it("an edited field", async () => {
    const { db, logs } = await scenario();
    await logsCollection(db).updateOne({ _id: logs[4]!._id }, { $set: { user: "mallory" } });
    const report = await verify(db);
    assert.deepEqual(kinds(report), [["edited", logs[4]!.sequence]]);
    assert.equal(report.problems[0]!.log_id, logs[4]!._id);
  });

  it("a log deleted in the middle", async () => {
    const { db, logs } = await scenario();
    await logsCollection(db).deleteOne({ _id: logs[7]!._id });
    assert.deepEqual(kinds(await verify(db)), [["deleted", logs[7]!.sequence]]);
  });

  it("logs deleted at the tail, up to the last checkpoint", async () => {
    const { db, logs } = await scenario();
    const tail = logs.slice(-3);
    await logsCollection(db).deleteMany({ _id: { $in: tail.map((log) => log._id) } });
    assert.deepEqual(
      kinds(await verify(db)),
      tail.map((log) => ["truncated", log.sequence]),
    );
  });

  it("a forged log inserted without the key", async () => {
    const { db, logs } = await scenario();
    const [checkpointOne] = await checkpointsCollection(db).find().toArray();
    const voidSequence = checkpointOne!.voids[0]!;
    await logsCollection(db).insertOne({
      ...logs[0]!,
      _id: "forged-1",
      user: "ghost",
      sequence: voidSequence,
      mac: randomBytes(32).toString("hex"),
    });
    assert.deepEqual(kinds(await verify(db)), [["inserted", voidSequence]]);
  });

  it("two logs swapped", async () => {
    const { db, logs } = await scenario();
    const [a, b] = [logs[2]!, logs[3]!];
    await logsCollection(db).updateOne({ _id: a._id }, { $set: { sequence: -1 } });
    await logsCollection(db).updateOne({ _id: b._id }, { $set: { sequence: a.sequence } });
    await logsCollection(db).updateOne({ _id: a._id }, { $set: { sequence: b.sequence } });
    const report = await verify(db);
    assert.deepEqual(kinds(report).sort(), [
      ["reordered", a.sequence],
      ["reordered", b.sequence],
    ]);
  });

  it("a log copied to another sequence position", async () => {
    const { db, logs } = await scenario();
    const [checkpointOne] = await checkpointsCollection(db).find().toArray();
    const voidSequence = checkpointOne!.voids[0]!;
    await logsCollection(db).insertOne({ ...logs[5]!, _id: `${logs[5]!._id}-copy`, sequence: voidSequence });
    assert.deepEqual(kinds(await verify(db)), [["copied", voidSequence]]);
  });

  it("an edited checkpoint and a deleted one", async () => {
    const { db } = await scenario();
    await ingest(db, makeLogInputs(3));
    await checkpoint(db);
    await ingest(db, makeLogInputs(3));
    await checkpoint(db);
    await checkpointsCollection(db).updateOne({ _id: 1 }, { $set: { log_count: 99 } });
    await checkpointsCollection(db).deleteOne({ _id: 2 });
    const report = await verify(db);
    const badCheckpoints = report.problems.filter((p) => p.kind === "bad-checkpoint").map((p) => p.checkpoint);
    assert.ok(badCheckpoints.includes(1), "the edited checkpoint 1");
    assert.ok(badCheckpoints.includes(3), "checkpoint 3, which no longer chains (2 is gone)");
    assert.ok(
      report.problems.some((p) => p.kind === "inserted"),
      "the logs that only checkpoint 2 covered",
    );
    assert.equal(report.ok, false);
  });

  it("a log whose key is not in the keyring is unverifiable, not tampered", async () => {
    const { db, logs } = await scenario();
    await logsCollection(db).updateOne({ _id: logs[1]!._id }, { $set: { key_id: "retired-key" } });
    assert.deepEqual(kinds(await verify(db)), [["unverifiable", logs[1]!.sequence]]);
  });
});
