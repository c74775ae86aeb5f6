// Derived data follows the checkpoint chain: the writer that wins checkpoint N
// turns the log summaries of N's settled blocks into rollups, alerts and the
// search layout, then marks N as derived. Derivations run in checkpoint
// order: a writer finishes its predecessor's derivation before it writes the
// next checkpoint (lib/ledger/checkpoint-pipeline.ts), and the rollups and
// the search layout rely on that. New alerts, suppressed ones aside, go to the
// webhook in the background. Settlements are pruned only after the mark, so a
// writer that crashed in between leaves what the next one needs to finish the job.
import type { Db } from "mongodb";
import { COLLECTIONS } from "@/lib/platform/db/collections";
import { isDuplicateKeyError } from "@/lib/platform/db/errors";
import type { SequenceSettlement } from "@/lib/records/logs/sequence";
import { unpackSummaries, type LogSummary } from "@/lib/records/logs/summaries";
import { writeSearchLayout } from "@/lib/derived/search/write";
import { Contributions } from "@/lib/derived/rollups/period-docs";
import { writeContributions, type Through } from "@/lib/derived/rollups/write";
import { sendNewAlertWebhooks } from "@/lib/derived/alerts/webhook";
import { getConfig } from "@/lib/foundation/config";
import { detectAndTally, dropAlertSnapshots } from "./alert-tallies";

/** Checkpoint `_id` is derived: its logs and alerts are in every rollup document. */
export type DerivedMark = { _id: number; end_sequence?: number; derived_at: Date };

function marks(db: Db) {
  return db.collection<DerivedMark>(COLLECTIONS.derivedMarks);
}

export function settledSummaries(settlements: Iterable<Pick<SequenceSettlement, "summaries">>): LogSummary[] {
  return settledLogs(settlements).logs;
}

/** The settled logs' summaries, and whether every one carries the fields the search layout needs. */
export function settledLogs(settlements: Iterable<Pick<SequenceSettlement, "summaries">>): SettledLogs {
  const settled: SettledLogs = { logs: [], searchable: true };
  for (const settlement of settlements) {
    if (!settlement.summaries) continue;
    const { logs, searchable } = unpackSummaries(settlement.summaries);
    for (const log of logs) settled.logs.push(log);
    settled.searchable &&= searchable || logs.length === 0;
  }
  return settled;
}

export type SettledLogs = { logs: LogSummary[]; searchable: boolean };

export async function isDerived(db: Db, checkpoint: number): Promise<boolean> {
  return (await marks(db).findOne({ _id: checkpoint })) !== null;
}

/** The latest derived checkpoint's mark, or null before the first. */
export async function latestDerivedMark(db: Db): Promise<DerivedMark | null> {
  return (await marks(db).find().sort({ _id: -1 }).limit(1).toArray())[0] ?? null;
}

/** A checkpoint to derive: its range, and its time (when source_silent judges who has gone quiet). */
export type DerivedCheckpoint = Through & { created_at: Date };

/**
 * Writes what checkpoint N's logs add to the derived data (with no logs, too); safe to run again for the same N.
 * `assertWriter` throws once this process may no longer write (its lease is lost): it is called before each step.
 */
export async function deriveCheckpoint(
  db: Db,
  checkpoint: DerivedCheckpoint,
  { logs, searchable }: SettledLogs,
  assertWriter: () => void = () => {},
): Promise<void> {
  const config = getConfig();
  const contributions = new Contributions();
  for (const log of logs) contributions.addLog(log);
  const created = await detectAndTally(db, checkpoint, logs, config.anomaly, contributions, assertWriter);
  if (config.alertWebhookUrl)
    sendNewAlertWebhooks(config.alertWebhookUrl, created, { secret: config.alertWebhookSecret });
  assertWriter();
  await writeContributions(db, contributions, checkpoint);
  assertWriter();
  await writeSearchLayout(db, checkpoint, logs, searchable);
  assertWriter();
  await markDerived(db, checkpoint);
  await dropAlertSnapshots(db, checkpoint.number);
}

/** Records that the rollups and alerts count everything through `checkpoint` (after derivation, or a restore that rebuilds them). */
export async function markDerived(db: Db, checkpoint: Through): Promise<void> {
  try {
    await marks(db).insertOne({
      _id: checkpoint.number,
      end_sequence: checkpoint.end_sequence,
      derived_at: new Date(),
    });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
  // Only the latest mark is ever asked for.
  await marks(db).deleteMany({ _id: { $lt: checkpoint.number } });
}

/** The latest derived checkpoint as a Through (number 0 before the first). */
export async function latestDerived(db: Db): Promise<Through> {
  const mark = await latestDerivedMark(db);
  if (!mark) return { number: 0, end_sequence: 0 };
  // Marks written before they carried end_sequence: the checkpoint has it.
  const end =
    mark.end_sequence ??
    (await db.collection<{ _id: number; end_sequence: number }>(COLLECTIONS.checkpoints).findOne({ _id: mark._id }))
      ?.end_sequence;
  if (end === undefined) throw new Error(`checkpoint ${mark._id} is marked derived but missing`);
  return { number: mark._id, end_sequence: end };
}

/** Whether a derivation past `mark` has started and not finished (its alert snapshot lives from its start to its mark). */
export async function isDerivationRunning(db: Db, mark: number): Promise<boolean> {
  return (await db.collection<{ _id: number }>(COLLECTIONS.alertSnapshots).findOne({ _id: { $gt: mark } })) !== null;
}
