// Derived data follows the checkpoint chain: the writer that wins checkpoint N
// turns the log summaries of N's settled blocks into rollups (and alerts),
// then marks N as derived. New alerts go to the webhook in the background. Settlements are pruned only after that, so a writer
// that crashed in between leaves what the next one needs to finish the job.
import type { Db } from "mongodb";
import { COLLECTIONS } from "@/lib/db/collections";
import { isDuplicateKeyError } from "@/lib/db/errors";
import type { SequenceSettlement } from "@/lib/logs/sequence";
import { summariesOf, type LogSummary } from "@/lib/logs/summaries";
import { writeRollups } from "@/lib/rollups/rollups";
import { detectAtCheckpoint } from "@/lib/alerts/detect";
import { sendAlertWebhook } from "@/lib/alerts/webhook";
import { getConfig } from "@/lib/config";

type DerivedMark = { _id: number; derived_at: Date };

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

/** Writes what checkpoint N's logs add to the derived data; safe to run again for the same N. */
export async function deriveCheckpoint(db: Db, checkpoint: number, logs: LogSummary[]): Promise<void> {
  await writeRollups(db, checkpoint, logs);
  const config = getConfig();
  const created = await detectAtCheckpoint(db, checkpoint, logs, config.anomaly);
  if (config.alertWebhookUrl) for (const alert of created) void sendAlertWebhook(config.alertWebhookUrl, alert);
  try {
    await marks(db).insertOne({ _id: checkpoint, derived_at: new Date() });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
  // Only the latest mark is ever asked for.
  await marks(db).deleteMany({ _id: { $lt: checkpoint } });
}
