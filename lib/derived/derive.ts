// Derived data follows the checkpoint chain: the writer that wins checkpoint N
// turns the log summaries of N's settled blocks into rollups and alerts, then
// marks N as derived. Derivations run in checkpoint order: a writer finishes
// its predecessor's derivation before it writes the next checkpoint
// (writeCheckpoint → finishDerivation), and the rollups rely on that. New
// alerts go to the webhook in the background. Settlements are pruned only
// after the mark, so a writer that crashed in between leaves what the next
// one needs to finish the job.
import type { Db } from "mongodb";
import { COLLECTIONS } from "@/lib/db/collections";
import { isDuplicateKeyError } from "@/lib/db/errors";
import type { SequenceSettlement } from "@/lib/logs/sequence";
import { summariesOf, type LogSummary } from "@/lib/logs/summaries";
import { Contributions } from "@/lib/rollups/rollups";
import { writeContributions, type Through } from "@/lib/rollups/write";
import { sendAlertWebhook } from "@/lib/alerts/webhook";
import { getConfig } from "@/lib/config";
import { detectAndTally, dropAlertSnapshots } from "./alert-tallies";

/** Checkpoint `_id` is derived: its logs and alerts are in every rollup document. */
export type DerivedMark = { _id: number; end_sequence?: number; derived_at: Date };

function marks(db: Db) {
  return db.collection<DerivedMark>(COLLECTIONS.derivedMarks);
}

export function settledSummaries(settlements: Iterable<Pick<SequenceSettlement, "summaries">>): LogSummary[] {
  const logs: LogSummary[] = [];
  for (const settlement of settlements) if (settlement.summaries) logs.push(...summariesOf(settlement.summaries));
  return logs;
}

export async function isDerived(db: Db, checkpoint: number): Promise<boolean> {
  return (await marks(db).findOne({ _id: checkpoint })) !== null;
}

/** The latest derived checkpoint's mark, or null before the first. */
export async function latestDerivedMark(db: Db): Promise<DerivedMark | null> {
  return (await marks(db).find().sort({ _id: -1 }).limit(1).toArray())[0] ?? null;
}

/** Writes what checkpoint N's logs add to the derived data; safe to run again for the same N. */
export async function deriveCheckpoint(db: Db, checkpoint: Through, logs: LogSummary[]): Promise<void> {
  const config = getConfig();
  const contributions = new Contributions();
  for (const log of logs) contributions.addLog(log);
  const created = await detectAndTally(db, checkpoint.number, logs, config.anomaly, contributions);
  if (config.alertWebhookUrl) for (const alert of created) void sendAlertWebhook(config.alertWebhookUrl, alert);
  await writeContributions(db, contributions, checkpoint);
  await markDerived(db, checkpoint);
  await dropAlertSnapshots(db, checkpoint.number);
}

/** Records that the rollups and alerts count everything through `checkpoint` (after derivation, or a restore that rebuilds them). */
export async function markDerived(db: Db, checkpoint: Through): Promise<void> {
  try {
    await marks(db).insertOne({ _id: checkpoint.number, end_sequence: checkpoint.end_sequence, derived_at: new Date() });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
  // Only the latest mark is ever asked for.
  await marks(db).deleteMany({ _id: { $lt: checkpoint.number } });
}
