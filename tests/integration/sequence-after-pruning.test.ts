// Sequence numbers stay unique after checkpoints prune the blocks they cover,
// even when the sequence hint lags (the embedded server can lose a $max
// update, and a process writes it only every few claims).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MongoClient } from "mongodb";
import type { ApiError } from "@/lib/platform/http/errors";
import { ensureIndexes } from "@/lib/platform/db/indexes";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { logsCollection } from "@/lib/records/logs/collection";
import { ingestLogs } from "@/lib/records/logs/ingest";
import type { LogInput } from "@/lib/records/logs/schemas";
import { makeLogInputs } from "./support/log-inputs";
import { setupTestDatabase } from "./support/test-db";

const test = setupTestDatabase("sequence_floor");

describe("sequence numbers after checkpoints prune their blocks", () => {
  it("never reuses a covered number when the hint lags, and a collision stores nothing and heals the hint", async () => {
    const { db } = test;
    await ensureIndexes(db);
    const counters = db.collection<{ _id: string }>("counters");
    const ingest = (count: number) =>
      ingestLogs(db, makeLogInputs(count) as LogInput[], {
        keyring: getKeyring(),
        maxFutureSkewMs: 300_000,
        ingestedBy: "cli:test",
      });
    await ingest(30);
    await writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 120_000 });
    // A lost $max update on the embedded server can leave the hint behind.
    await counters.updateOne({ _id: "log_sequence" }, { $set: { next: 5 } });
    assert.equal((await ingest(10)).accepted, 10);
    const sequences = (
      await logsCollection(db)
        .find({}, { projection: { sequence: 1 } })
        .toArray()
    )
      .map((log) => log.sequence)
      .sort((a, b) => a - b);
    assert.deepEqual(
      sequences,
      Array.from({ length: 40 }, (_, index) => index + 1),
    );

    // With the checkpoint head hint gone too, another process (which knows only the hints) claims
    // used numbers: refused, nothing kept, then healed.
    await counters.updateOne({ _id: "log_sequence" }, { $set: { next: 5 } });
    await counters.deleteOne({ _id: "checkpoint_head" });
    const other = new MongoClient(process.env.MONGODB_URI!);
    try {
      const otherDb = other.db(db.databaseName);
      const inputs = makeLogInputs(3) as LogInput[];
      await assert.rejects(
        ingestLogs(otherDb, inputs, { keyring: getKeyring(), maxFutureSkewMs: 300_000, ingestedBy: "cli:test" }),
        (error: ApiError) => error.code === "database_unavailable",
      );
      assert.equal(await logsCollection(db).countDocuments(), 40);
      assert.equal(
        (await ingestLogs(otherDb, inputs, { keyring: getKeyring(), maxFutureSkewMs: 300_000, ingestedBy: "cli:test" }))
          .accepted,
        3,
      );
      assert.equal(await logsCollection(db).countDocuments({ sequence: { $gt: 40 } }), 3);
    } finally {
      await other.close();
    }
  });
});
