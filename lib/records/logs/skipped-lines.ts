// Lines a shipper sent that record no security event (a cron session, a
// kernel message): not stored, but counted per UTC day, source and reason,
// so an operator can tell a quiet source from one whose lines are all skipped.
import type { Db } from "mongodb";
import { COLLECTIONS } from "@/lib/platform/db/collections";
import { isDuplicateKeyError } from "@/lib/platform/db/errors";
import { LOG_LIMITS } from "./schemas";

export type SkippedLineCount = {
  /** `<day>|<source>` */
  _id: string;
  day: string;
  source: string;
  /** By reason (the parser's word for why the line records no event). */
  counts: Record<string, number>;
  last_at: Date;
};

export function skippedLinesCollection(db: Db) {
  return db.collection<SkippedLineCount>(COLLECTIONS.skippedLines);
}

/**
 * Adds `skipped` (source → reason → lines) to today's counts. On the embedded
 * server an update is read-modify-write, so two requests of one source at
 * the same instant may lose one's count: these are diagnostics, not records.
 */
export async function countSkippedLines(
  db: Db,
  skipped: Map<string, Map<string, number>>,
  now = new Date(),
): Promise<void> {
  const day = now.toISOString().slice(0, 10);
  for (const [fullSource, reasons] of skipped) {
    const source = fullSource.slice(0, LOG_LIMITS.source);
    const increments = Object.fromEntries([...reasons].map(([reason, count]) => [`counts.${reason}`, count]));
    const update = () =>
      skippedLinesCollection(db).updateOne(
        { _id: `${day}|${source}` },
        { $inc: increments, $set: { last_at: now }, $setOnInsert: { day, source } },
        { upsert: true },
      );
    // Two first counts of the day can both insert: the loser adds to the winner's.
    await update().catch((error: unknown) => (isDuplicateKeyError(error) ? update() : Promise.reject(error)));
  }
}
