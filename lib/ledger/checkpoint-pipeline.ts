// The checkpoint pipeline, the one place where the ledger's steps meet: sign
// the next checkpoint over the settled logs (lib/integrity), derive from its
// logs what reads use (rollups, per-user baselines and alerts, the search
// layout: lib/derived), mark it derived, then prune the settlements it covers
// (lib/logs/sequence). Called by the app's timer, `npm run checkpoint`,
// seeding and the benchmarks. A writer that stopped midway is finished by the
// next run, before it signs a new checkpoint.
import type { Db } from "mongodb";
import { deriveCheckpoint, isDerived, settledLogs } from "@/lib/derived/derive";
import type { SignedCheckpoint } from "@/lib/integrity/checkpoint-record";
import { appendCheckpoint, latestCheckpoint, type CheckpointOptions } from "@/lib/integrity/checkpoints";
import { pruneSettledBelow, sequenceSettlements } from "@/lib/logs/sequence";

/** Writes the next checkpoint and everything derived from it; `written` is false when another writer got there first. */
export async function writeCheckpoint(db: Db, options: CheckpointOptions): Promise<{ written: boolean; checkpoint: SignedCheckpoint }> {
  const previous = await latestCheckpoint(db);
  if (previous) await finishDerivation(db, previous);
  const { written, checkpoint, settlements } = await appendCheckpoint(db, previous, options);
  if (written) {
    await deriveCheckpoint(db, checkpoint, settledLogs(settlements));
    await pruneSettledBelow(db, checkpoint.end_sequence);
  }
  return { written, checkpoint };
}

/** A writer that stopped after writing `checkpoint` but before deriving from it: finish its job. */
async function finishDerivation(db: Db, checkpoint: SignedCheckpoint): Promise<void> {
  if (await isDerived(db, checkpoint.number)) return;
  const settlements = await sequenceSettlements(db)
    .find({ _id: { $gte: checkpoint.start_sequence, $lt: checkpoint.end_sequence } })
    .toArray();
  await deriveCheckpoint(db, checkpoint, settledLogs(settlements));
  await pruneSettledBelow(db, checkpoint.end_sequence);
}
