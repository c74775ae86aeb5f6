// The fresh tail: logs settled but not yet in the rollups (their checkpoint is
// not written, or not yet derived), read from the log summaries of the
// settlements, a small collection pruned at each checkpoint. With it the
// dashboard is current to the last settled batch without scanning logs.
import type { Db } from "mongodb";
import { latestDerivedMark, settledSummaries } from "./derive";
import { checkpointsCollection } from "@/lib/records/integrity/checkpoints";
import { sequenceSettlements } from "@/lib/records/logs/sequence";
import type { LogSummary } from "@/lib/records/logs/summaries";

/**
 * Read before the rollups: the latest derived mark first, then the
 * settlements from its end. A derivation finishing meanwhile prunes only
 * settlements whose logs are already in every rollup document it touched,
 * and the reader skips tail logs a document already counts (by through_end).
 */
export async function readFreshTail(db: Db): Promise<LogSummary[]> {
  return (await readFreshTailAt(db)).summaries;
}

/** The fresh tail with the last checkpoint derived before it (0: none): derived documents through that one hold none of its logs. */
export async function readFreshTailAt(db: Db): Promise<{ derivedThrough: number; summaries: LogSummary[] }> {
  const mark = await latestDerivedMark(db);
  // Marks written before they carried end_sequence.
  const start = !mark
    ? 0
    : (mark.end_sequence ?? (await checkpointsCollection(db).findOne({ _id: mark._id }))?.end_sequence ?? 0);
  const settlements = await sequenceSettlements(db)
    .find({ _id: { $gte: start } }, { projection: { summaries: 1 } })
    .toArray();
  return { derivedThrough: mark?._id ?? 0, summaries: settledSummaries(settlements) };
}
