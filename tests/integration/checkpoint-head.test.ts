// The latest checkpoint is read from the head's copy (one lookup by string
// _id), and a head left behind by a writer that stopped between its two
// writes is moved on by the next writer that loses that number.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ensureIndexes } from "@/lib/platform/db/indexes";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { latestCheckpoint } from "@/lib/records/integrity/checkpoints";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { ingestLogs } from "@/lib/records/logs/ingest";
import type { LogInput } from "@/lib/records/logs/schemas";
import { makeLogInputs } from "./support/log-inputs";
import { setupTestDatabase } from "./support/test-db";

const test = setupTestDatabase("checkpoint_head");

describe("the checkpoint head", () => {
  it("serves the latest checkpoint, and a lagging head is moved on by the next writer", async () => {
    const { db } = test;
    await ensureIndexes(db);
    const options = { signer: getCheckpointSigner(), voidAfterMs: 120_000 };
    const ingest = (count: number) =>
      ingestLogs(db, makeLogInputs(count) as LogInput[], {
        keyring: getKeyring(),
        maxFutureSkewMs: 300_000,
        ingestedBy: "cli:test",
      });
    await ingest(5);
    const { checkpoint: first } = await writeCheckpoint(db, options);
    await ingest(5);
    const { checkpoint: second } = await writeCheckpoint(db, options);
    assert.deepEqual(await latestCheckpoint(db), second);

    // A writer stopped after storing the second checkpoint, before recording it as the head.
    const counters = db.collection<{ _id: string }>("counters");
    const { number, ...copy } = first;
    await counters.updateOne(
      { _id: "checkpoint_head" },
      { $set: { number, end_sequence: first.end_sequence, digest: first.digest, checkpoint: copy } },
    );
    assert.equal((await latestCheckpoint(db))?.number, 1);

    await ingest(5);
    const lost = await writeCheckpoint(db, options);
    assert.equal(lost.written, false);
    assert.deepEqual(lost.checkpoint, second);
    assert.deepEqual(await latestCheckpoint(db), second);

    const next = await writeCheckpoint(db, options);
    assert.equal(next.written, true);
    assert.equal(next.checkpoint.number, 3);
    assert.equal(next.checkpoint.start_sequence, second.end_sequence);
    assert.equal(next.checkpoint.previous_digest, second.digest);
    assert.equal(next.checkpoint.log_count, 5);
  });

  it("finds the latest stored checkpoint when the head predates its copy", async () => {
    const { db } = test;
    await ensureIndexes(db);
    await ingestLogs(db, makeLogInputs(3) as LogInput[], {
      keyring: getKeyring(),
      maxFutureSkewMs: 300_000,
      ingestedBy: "cli:test",
    });
    const { checkpoint } = await writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 120_000 });
    await db
      .collection<{ _id: string }>("counters")
      .updateOne({ _id: "checkpoint_head" }, { $unset: { checkpoint: "" } });
    assert.deepEqual(await latestCheckpoint(db), checkpoint);
  });
});
