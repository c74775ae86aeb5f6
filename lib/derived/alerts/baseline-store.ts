// Per-user baselines kept at each checkpoint, so that new_ip_for_user and
// rare_hour_for_user run there too without reading the logs collection: one
// document per UTC day (lib/records/anomaly/baseline-days.ts), read and written only
// by its string _id (on the embedded server still a scan, but of one small
// collection's rows in SQLite rather than of decoded documents).
// Checkpoints derive in order, and a day's document records the last
// checkpoint it holds (`through`), so deriving a checkpoint again adds nothing
// twice, and two writers deriving the same one write the same document.
import type { Db } from "mongodb";
import type { DetectableLog, DetectionConfig, UserBaseline } from "@/lib/records/anomaly";
import {
  addToDay,
  baselineDayId,
  baselineFromDays,
  historyDays,
  tallyByDay,
  utcDay,
  type BaselineDay,
} from "@/lib/records/anomaly/baseline-days";
import type { UserTally } from "@/lib/records/anomaly/baseline";
import { COLLECTIONS } from "@/lib/platform/db/collections";
import { replaceVersioned } from "@/lib/platform/db/replace-versioned";
import { forEachConcurrently } from "@/lib/foundation/util/concurrently";

const DAY_MS = 86_400_000;
/** Day documents read or written at once (the embedded server gains little beyond a few). */
const CONCURRENCY = 4;

export function baselinesCollection(db: Db) {
  return db.collection<BaselineDay>(COLLECTIONS.baselines);
}

export type CheckpointHistory = {
  /** Undefined when the checkpoint holds no success (nothing to judge). */
  baseline: UserBaseline | undefined;
  /** The day documents read (null: none yet), reused when recording. */
  docs: ReadonlyMap<string, BaselineDay | null>;
};

/** The history checkpoint N's logs are judged against: the stored days, as they stood before N. */
export async function readCheckpointHistory(
  db: Db,
  checkpoint: number,
  logs: readonly DetectableLog[],
  config: DetectionConfig,
): Promise<CheckpointHistory> {
  const days = historyDays(logs, config);
  const docs = new Map<string, BaselineDay | null>();
  await forEachConcurrently(
    days,
    CONCURRENCY,
    async (day) => void docs.set(day, await baselinesCollection(db).findOne({ _id: baselineDayId(day) })),
  );
  return {
    baseline:
      days.length === 0
        ? undefined
        : baselineFromDays(
            days.map((day) => docs.get(day)!),
            checkpoint,
            config,
          ),
    docs,
  };
}

/** Adds checkpoint N's successes to the documents of their days; safe to run again for the same N. */
export async function recordCheckpointHistory(
  db: Db,
  checkpoint: number,
  logs: readonly DetectableLog[],
  config: DetectionConfig,
  read?: CheckpointHistory,
): Promise<void> {
  const byDay = [...tallyByDay(logs, config)];
  await forEachConcurrently(byDay, CONCURRENCY, ([day, added]) =>
    addToStoredDay(db, day, checkpoint, added, config.timeZone, read?.docs.get(day)),
  );
}

async function addToStoredDay(
  db: Db,
  day: string,
  checkpoint: number,
  added: ReadonlyMap<string, UserTally>,
  timeZone: string,
  known: BaselineDay | null | undefined,
): Promise<void> {
  // Writers take checkpoints in order, so only one that stalled mid-derivation
  // for a whole checkpoint interval could meet the embedded server's window.
  await replaceVersioned(
    baselinesCollection(db),
    baselineDayId(day),
    (doc) => (doc !== null && doc.through >= checkpoint ? null : addToDay(doc, day, checkpoint, added, timeZone)),
    known,
  );
}

/**
 * Deletes the day documents no log can need any more: days before both the
 * retention cutoff and the baseline period before `now` (logs arriving now
 * are judged against that period). Returns how many went.
 */
export async function pruneBaselineDays(
  db: Db,
  { cutoff, now, baselineMs }: { cutoff: Date; now: Date; baselineMs: number },
): Promise<number> {
  const keepFrom = Math.min(cutoff.getTime(), now.getTime() - baselineMs - DAY_MS);
  const result = await baselinesCollection(db).deleteMany({ _id: { $lt: baselineDayId(utcDay(keepFrom)) } });
  return result.deletedCount;
}
