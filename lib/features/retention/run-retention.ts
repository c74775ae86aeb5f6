// Retention: deletes whole checkpoint ranges all of whose logs were received
// before the cutoff. A checkpoint created before the cutoff covers only logs
// received before it (receive time, fixed by sequence order, not the clients'
// timestamps). The signed purge record is written first, then logs are deleted in
// batches, then their entries are taken out of the search layout, then the rollups
// are recounted from the logs that remain (period documents add up many
// checkpoints, so a purged range cannot be subtracted from them); an
// interrupted run is finished by the next.
import type { Db } from "mongodb";
import { recordSecurityEvent, type Actor } from "@/lib/records/audit/security-events";
import { publicKeySetFromSigner, type CheckpointSigner } from "@/lib/records/integrity/checkpoint-keys";
import { lastCheckpointCreatedBefore } from "@/lib/records/integrity/checkpoints";
import { latestValidPurge, recordPurge, signPurge } from "@/lib/records/integrity/purge-record";
import { logsCollection } from "@/lib/records/logs/collection";
import { rebuildRollups } from "@/lib/derived/rollups/rebuild";
import { purgeSearchLayout } from "@/lib/derived/search/purge";
import { markPurged } from "@/lib/derived/search/write";
import { pruneBaselineDays } from "@/lib/derived/alerts/baseline-store";
import { getConfig } from "@/lib/foundation/config";

const SEQUENCES_PER_BATCH = 50_000;

export type RetentionResult = {
  dry_run: boolean;
  cutoff: Date;
  /** The last checkpoint whose logs are (or would be) purged; null when none is old enough. */
  through_checkpoint: number | null;
  through_sequence: number | null;
  logs_deleted: number;
  /** Rollup documents left after recounting the remaining logs. */
  rollup_documents: number;
  /** Per-user baseline days deleted: before the cutoff and older than any history a new log is judged against. */
  baseline_days_deleted: number;
  /** Search parts deleted (all their logs purged) and trimmed (some purged). */
  search_parts_deleted: number;
  search_parts_trimmed: number;
};

export async function runRetention(
  db: Db,
  options: { retentionMs: number; signer: CheckpointSigner; actor: Actor; dryRun?: boolean; now?: Date },
): Promise<RetentionResult> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.retentionMs);
  const dryRun = options.dryRun ?? false;
  const due = await lastCheckpointCreatedBefore(db, cutoff);
  const done = await latestValidPurge(db, publicKeySetFromSigner(options.signer));
  const result: RetentionResult = {
    dry_run: dryRun,
    cutoff,
    through_checkpoint: null,
    through_sequence: null,
    logs_deleted: 0,
    rollup_documents: 0,
    baseline_days_deleted: 0,
    search_parts_deleted: 0,
    search_parts_trimmed: 0,
  };
  // A newly due checkpoint extends the purge; otherwise finish the last one (a run may have stopped midway).
  const isNewPurge = due !== null && (!done || due.number > done.through_checkpoint);
  const through = isNewPurge
    ? { checkpoint: due.number, sequence: due.end_sequence, digest: due.digest }
    : done && { checkpoint: done.through_checkpoint, sequence: done.through_sequence, digest: done.checkpoint_digest };
  if (!through) return result;
  result.through_checkpoint = through.checkpoint;
  result.through_sequence = through.sequence;
  const purged = { sequence: { $lt: through.sequence } };
  if (dryRun) {
    result.logs_deleted = await logsCollection(db).countDocuments(purged);
    return result;
  }
  if (isNewPurge) {
    await recordPurge(
      db,
      signPurge(
        {
          through_checkpoint: through.checkpoint,
          through_sequence: through.sequence,
          checkpoint_digest: through.digest,
          cutoff,
          purged_at: new Date(),
        },
        options.signer,
      ),
    );
  }
  await markPurged(db, through.sequence);
  for (let start = 0; start < through.sequence; start += SEQUENCES_PER_BATCH) {
    const batch = await logsCollection(db).deleteMany({
      sequence: { $gte: start, $lt: Math.min(start + SEQUENCES_PER_BATCH, through.sequence) },
    });
    result.logs_deleted += batch.deletedCount;
  }
  const search = await purgeSearchLayout(db, through.sequence);
  result.search_parts_deleted = search.parts_deleted;
  result.search_parts_trimmed = search.parts_trimmed;
  result.rollup_documents = (await rebuildRollups(db)).documents;
  result.baseline_days_deleted = await pruneBaselineDays(db, {
    cutoff,
    now: options.now ?? new Date(),
    baselineMs: getConfig().anomaly.baselineMs,
  });
  await recordSecurityEvent(db, {
    ...options.actor,
    action: "logs_purged",
    status: "success",
    message: `retention purged ${result.logs_deleted} logs received before ${cutoff.toISOString()} (checkpoints 1–${through.checkpoint})`,
    metadata: {
      through_checkpoint: through.checkpoint,
      through_sequence: through.sequence,
      logs_deleted: result.logs_deleted,
    },
  });
  return result;
}
