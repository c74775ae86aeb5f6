// The activity around an alert, for its detail page: its subject's failed and
// successful logs (its address's and its user's, apart) per period from a
// margin before its window to a margin after, read from the rollups' period
// documents, which count per address and per user (the finest per quarter
// hour), and from the fresh tail: never from the logs.
import type { Db } from "mongodb";
import { readFreshTail } from "@/lib/derived/derivation/fresh-tail";
import type { LogSummary } from "@/lib/records/logs/summaries";
import { HOUR_MS, PERIOD_MS, periodId, type Period, type PeriodLevel } from "@/lib/derived/rollups/periods";
import { readPeriods, type CoveredWindow } from "@/lib/derived/rollups/read";
import type { PeriodDoc } from "@/lib/derived/rollups/period-docs";

export const ACTIVITY_MARGIN_MS = 3 * HOUR_MS;
/** Periods at most: a longer span is counted per hour, then per day (its latest days). */
export const MAX_ACTIVITY_PERIODS = 96;
const FINEST_FIRST: readonly PeriodLevel[] = ["quarter", "hour", "day"];

export type OutcomeCounts = { failed: number; succeeded: number };
export type ActivitySubject = { ip?: string; user?: string };
export type ActivityPeriod = { start: Date } & { [Field in keyof ActivitySubject]?: OutcomeCounts };
export type SubjectActivity = { level: PeriodLevel; periods: ActivityPeriod[] };

/** The periods around [start, end] at the finest level that keeps them few, none starting after `now`. */
export function activityPeriods(start: Date, end: Date, now: Date): { level: PeriodLevel; periods: Period[] } {
  const from = start.getTime() - ACTIVITY_MARGIN_MS;
  const to = Math.max(Math.min(end.getTime() + ACTIVITY_MARGIN_MS, now.getTime()), end.getTime());
  const span = (ms: number) => Math.floor(to / ms) - Math.floor(from / ms) + 1;
  const level = FINEST_FIRST.find((each) => span(PERIOD_MS[each]) <= MAX_ACTIVITY_PERIODS) ?? "day";
  const ms = PERIOD_MS[level];
  const last = Math.floor(to / ms) * ms;
  const first = Math.max(Math.floor(from / ms) * ms, last - (MAX_ACTIVITY_PERIODS - 1) * ms);
  const periods: Period[] = [];
  for (let each = first; each <= last; each += ms) periods.push({ level, start: each });
  return { level, periods };
}

/**
 * The subject's counts per period: each period's document, plus the tail
 * logs it does not count yet (a sequence at or past its through_end).
 */
export function subjectActivityOf(
  periods: Period[],
  window: CoveredWindow,
  tail: readonly LogSummary[],
  subject: ActivitySubject,
): ActivityPeriod[] {
  const docOf = (period: Period) => window.byId.get(periodId(period))?.doc ?? null;
  const byStart = new Map(
    periods.map((period) => {
      const doc = docOf(period);
      const counts: ActivityPeriod = { start: new Date(period.start) };
      if (subject.ip !== undefined) counts.ip = countsIn(doc, "ips", subject.ip);
      if (subject.user !== undefined) counts.user = countsIn(doc, "users", subject.user);
      return [period.start, { period, doc, counts }];
    }),
  );
  const ms = periods[0] && PERIOD_MS[periods[0].level];
  for (const log of ms ? tail : []) {
    const entry = byStart.get(Math.floor(log.time.getTime() / ms!) * ms!);
    if (!entry || (entry.doc && log.sequence < entry.doc.through_end)) continue;
    const outcome = log.status === "failed" ? "failed" : "succeeded";
    if (entry.counts.ip && log.ip === subject.ip) entry.counts.ip[outcome]++;
    if (entry.counts.user && log.user === subject.user) entry.counts.user[outcome]++;
  }
  return [...byStart.values()].map((entry) => entry.counts);
}

function countsIn(doc: PeriodDoc | null, dimension: "ips" | "users", value: string): OutcomeCounts {
  const entry = doc?.[dimension].find((each) => each.v === value);
  return { failed: entry?.f ?? 0, succeeded: entry ? entry.t - entry.f : 0 };
}

/** The activity around [start, end]; null for a subject the rollups do not count (a source). */
export async function readSubjectActivity(
  db: Db,
  subject: ActivitySubject,
  window: { start: Date; end: Date },
  now = new Date(),
): Promise<SubjectActivity | null> {
  if (subject.ip === undefined && subject.user === undefined) return null;
  const { level, periods } = activityPeriods(window.start, window.end, now);
  // The tail first: a derivation meanwhile only moves its logs into documents that then say they count them.
  const tail = await readFreshTail(db);
  const docs = await readPeriods(db, periods);
  return { level, periods: subjectActivityOf(periods, docs, tail, subject) };
}
