// Verification against a head saved outside Ledgerline: passes while history
// only grows, fails once anything before the head is rewritten, even when
// the rewrite is re-signed with Ledgerline's own keys.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { ensureIndexes } from "@/lib/platform/db/indexes";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { publicKeySetFromSigner } from "@/lib/records/integrity/checkpoint-keys";
import { signCheckpoint } from "@/lib/records/integrity/checkpoint-record";
import { checkpointsCollection, latestCheckpoint, toSignedCheckpoint } from "@/lib/records/integrity/checkpoints";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { verifySinceHead } from "@/lib/records/integrity/since-head";
import { ingestLogs } from "@/lib/records/logs/ingest";
import type { LogInput } from "@/lib/records/logs/schemas";
import { makeLogInputs } from "./support/log-inputs";
import { setupTestDatabase } from "./support/test-db";

const test = setupTestDatabase("since_head");
let db: Db;
const publicKeys = () => publicKeySetFromSigner(getCheckpointSigner());
const ingest = (count: number) =>
  ingestLogs(db, makeLogInputs(count) as LogInput[], {
    keyring: getKeyring(),
    maxFutureSkewMs: 300_000,
    ingestedBy: "cli:test",
  });
const checkpoint = () => writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 120_000 });

describe("verifySinceHead", () => {
  // Inside the describe: it must run after setupTestDatabase's own before hook.
  before(async () => {
    db = test.db;
    await ensureIndexes(db);
  });

  it("passes after more ingestion, and fails once history before the head is rewritten and re-signed with the same keys", async () => {
    await ingest(10);
    await checkpoint();
    const savedHead = JSON.parse(JSON.stringify(await latestCheckpoint(db))); // as kept in a file
    await ingest(5);
    await checkpoint();
    await checkpoint(); // an empty one

    const extended = await verifySinceHead(db, savedHead, publicKeys());
    assert.deepEqual(extended.problems, []);
    assert.deepEqual([extended.ok, extended.head, extended.latest], [true, 1, 3]);

    // The insider's rewrite: a new checkpoint 1 with a different root, and every
    // later checkpoint re-signed to chain to it, all with the real signing key.
    let previousDigest: string | null = null;
    for (const stored of await checkpointsCollection(db).find().sort({ _id: 1 }).toArray()) {
      const { key_id: _key, signature: _sig, digest: _digest, ...body } = toSignedCheckpoint(stored);
      const rewritten = signCheckpoint(
        { ...body, root: body.number === 1 ? "0".repeat(64) : body.root, previous_digest: previousDigest },
        getCheckpointSigner(),
      );
      const { number: _id, ...fields } = rewritten;
      await checkpointsCollection(db).replaceOne({ _id }, fields);
      previousDigest = rewritten.digest;
    }
    const rewritten = await verifySinceHead(db, savedHead, publicKeys());
    assert.equal(rewritten.ok, false);
    // Checkpoint 1 differs from the saved head, and 2 chains to the rewrite, not to the head.
    assert.deepEqual(
      rewritten.problems.map((p) => [p.kind, p.checkpoint]),
      [
        ["bad-checkpoint", 1],
        ["bad-checkpoint", 2],
      ],
    );
    assert.match(rewritten.problems[0]!.detail, /rewritten/);
    assert.match(rewritten.problems[1]!.detail, /does not chain/);
  });

  it("refuses a saved head whose signature does not verify", async () => {
    const head = JSON.parse(JSON.stringify(await latestCheckpoint(db)));
    const report = await verifySinceHead(db, { ...head, log_count: head.log_count + 1 }, publicKeys());
    assert.equal(report.ok, false);
    assert.match(report.problems[0]!.detail, /not a valid signed checkpoint/);
  });
});
