// The checkpoint pipeline, the one place where the ledger's steps meet: sign
// the next checkpoint over the settled logs (lib/records/integrity), derive from its
// logs what reads use (rollups, per-user baselines and alerts, the search
// layout: lib/derived/derivation), mark it derived, then prune the settlements it covers
// (lib/records/logs/sequence). Called by the app's timer, `npm run checkpoint`,
// seeding and the benchmarks. A writer that stopped midway is finished by the
// next run, before it signs a new checkpoint.
// One writer at a time, the holder of a lease: derivation rewrites alerts,
// rollups and the search layout from what it read, and two writers deriving
// at once (every instance's timer, one finishing what it thinks another
// abandoned) read each other's half-written results and count an alert's logs
// twice. The others wait their turn, and find the work done.
import type { Db } from "mongodb";
import { withLease, type HeldLease } from "@/lib/platform/db/lease";
import { deriveCheckpoint, isDerived, settledLogs } from "@/lib/derived/derivation/derive";
import type { SignedCheckpoint } from "@/lib/records/integrity/checkpoint-record";
import { appendCheckpoint, latestCheckpoint, type CheckpointOptions } from "@/lib/records/integrity/checkpoints";
import { pruneSettledBelow, sequenceSettlements } from "@/lib/records/logs/sequence";

const WRITER_LEASE = "checkpoint-writer";
/** A derivation takes seconds on the embedded server with a busy checkpoint; a dead holder's term expires within this. */
const LEASE = { ttlMs: 30_000, waitMs: 120_000, pollMs: 100 };

/** Writes the next checkpoint and everything derived from it; `written` is false when another writer got there first. */
export function writeCheckpoint(
  db: Db,
  options: CheckpointOptions,
): Promise<{ written: boolean; checkpoint: SignedCheckpoint }> {
  return withLease(db, WRITER_LEASE, LEASE, (lease) => writeAsHolder(db, options, lease));
}

async function writeAsHolder(
  db: Db,
  options: CheckpointOptions,
  lease: HeldLease,
): Promise<{ written: boolean; checkpoint: SignedCheckpoint }> {
  const assertHeld = () => lease.assertHeld();
  const previous = await latestCheckpoint(db);
  if (previous) await finishDerivation(db, previous, assertHeld);
  assertHeld();
  const { written, checkpoint, settlements } = await appendCheckpoint(db, previous, options);
  if (written) {
    assertHeld();
    await deriveCheckpoint(db, checkpoint, settledLogs(settlements), assertHeld);
    assertHeld();
    await pruneSettledBelow(db, checkpoint.end_sequence);
  }
  return { written, checkpoint };
}

/** A writer that stopped after writing `checkpoint` but before deriving from it: finish its job. */
async function finishDerivation(db: Db, checkpoint: SignedCheckpoint, assertHeld: () => void): Promise<void> {
  if (await isDerived(db, checkpoint.number)) return;
  const settlements = await sequenceSettlements(db)
    .find({ _id: { $gte: checkpoint.start_sequence, $lt: checkpoint.end_sequence } })
    .toArray();
  assertHeld();
  await deriveCheckpoint(db, checkpoint, settledLogs(settlements), assertHeld);
  assertHeld();
  await pruneSettledBelow(db, checkpoint.end_sequence);
}
