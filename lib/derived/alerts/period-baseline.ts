// The baseline an on-demand detection judges its range against, read mostly
// from what checkpoints already keep: each whole UTC day of the period from
// its per-day tallies (baseline-store.ts), the rest from the search layout
// (the partial days at both ends, and days whose document is missing, of
// another time zone or written by a derivation newer than the snapshot), plus
// the logs not derived yet. Tallies merge exactly, so this is the baseline a
// count of the period's logs gives, but for logs purged by retention: the
// layout leaves them out, while a day document kept for the baseline still
// counts them (docs/search-layout.md).
import type { Db } from "mongodb";
import {
  baselineOf,
  createTallyCounter,
  emptyTally,
  mergeTally,
  type UserBaseline,
  type UserTally,
} from "@/lib/records/anomaly/baseline";
import { baselineDayId, talliesBefore, utcDay } from "@/lib/records/anomaly/baseline-days";
import type { DetectionConfig } from "@/lib/foundation/detection-config";
import { findByIds } from "@/lib/platform/db/find-by-ids";
import type { LogCriteria } from "@/lib/records/logs/filters";
import { searchLogs, searchSnapshot } from "@/lib/derived/search/read";
import { baselinesCollection } from "./baseline-store";

const DAY_MS = 86_400_000;

export type PeriodCriteria = { from: Date; to: Date; status: ["success"] };
export type PeriodBaseline = { baseline: UserBaseline; logs: number };

/** The baseline of the successes in [from, to]; null without a whole search layout (count the logs instead). */
export async function readPeriodBaseline(
  db: Db,
  criteria: PeriodCriteria,
  config: DetectionConfig,
): Promise<PeriodBaseline | null> {
  const snapshot = await searchSnapshot(db);
  if (!snapshot) return null;
  const users = new Map<string, UserTally>();
  let logs = 0;
  const mergeUser = (user: string, tally: UserTally) => {
    const into = users.get(user) ?? emptyTally();
    mergeTally(into, tally);
    users.set(user, into);
  };

  const days = wholeDays(criteria);
  const docs = await findByIds(baselinesCollection(db), days.map(baselineDayId));
  const counted = new Set<string>();
  for (const day of days) {
    const doc = docs.get(baselineDayId(day));
    // Derived through the snapshot's checkpoint at most: the tail read with it holds none of the document's logs.
    if (!doc || doc.time_zone !== config.timeZone || doc.through > snapshot.derivedThrough) continue;
    counted.add(day);
    for (const [user, tally] of talliesBefore(doc, doc.through + 1, config.timeZone)) {
      mergeUser(user, tally);
      logs += tally.events;
    }
  }

  const count = createTallyCounter(config);
  const purgedBelow = snapshot.layout.purged_below ?? 0;
  for (const log of snapshot.tail) {
    if (log.sequence >= purgedBelow && counted.has(utcDay(log.time.getTime())) && count(users, log)) logs++;
  }
  for (const range of uncountedRanges(criteria, counted)) {
    const entries = await searchLogs(db, { ...criteria, ...range }, { direction: "asc" }, snapshot);
    for await (const log of entries!) if (count(users, log)) logs++;
  }
  return { baseline: baselineOf(config.timeZone, users), logs };
}

/** The UTC days lying wholly within [from, to]. */
function wholeDays({ from, to }: PeriodCriteria): string[] {
  const days: string[] = [];
  for (let start = Math.ceil(from.getTime() / DAY_MS) * DAY_MS; start + DAY_MS - 1 <= to.getTime(); start += DAY_MS)
    days.push(utcDay(start));
  return days;
}

/** [from, to] less the counted days, as inclusive ranges in time order. */
function uncountedRanges({ from, to }: PeriodCriteria, counted: Set<string>): Pick<LogCriteria, "from" | "to">[] {
  const ranges: Pick<LogCriteria, "from" | "to">[] = [];
  let start = from.getTime();
  for (const day of [...counted].sort()) {
    const dayStart = Date.parse(`${day}T00:00:00Z`);
    if (dayStart > start) ranges.push({ from: new Date(start), to: new Date(dayStart - 1) });
    start = dayStart + DAY_MS;
  }
  if (start <= to.getTime()) ranges.push({ from: new Date(start), to: new Date(to.getTime()) });
  return ranges;
}
