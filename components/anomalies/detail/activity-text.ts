import type { ActivityPeriod, SubjectActivity } from "@/lib/derived/alerts/subject-activity";
import { PERIOD_MS } from "@/lib/derived/rollups/periods";

export type ActivityDimension = "ip" | "user";

/** A period's start as its chart label, in UTC: the date only when the periods span several days. */
export function periodLabel(start: Date, activity: SubjectActivity): string {
  const iso = start.toISOString();
  if (activity.level === "day") return iso.slice(0, 10);
  const first = activity.periods[0]?.start.toISOString().slice(0, 10);
  const last = activity.periods.at(-1)?.start.toISOString().slice(0, 10);
  return first === last ? iso.slice(11, 16) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

/** Whether a period overlaps the alert's window. */
export function isInWindow(
  period: ActivityPeriod,
  activity: SubjectActivity,
  window: { start: Date; end: Date },
): boolean {
  const start = period.start.getTime();
  return start <= window.end.getTime() && start + PERIOD_MS[activity.level] > window.start.getTime();
}

/** One sentence with the sums, for readers who do not see the chart. */
export function activitySummary(
  activity: SubjectActivity,
  dimension: ActivityDimension,
  subject: string,
  window: { start: Date; end: Date },
): string {
  const sum = (periods: ActivityPeriod[]) =>
    periods.reduce(
      (total, period) => ({
        failed: total.failed + (period[dimension]?.failed ?? 0),
        succeeded: total.succeeded + (period[dimension]?.succeeded ?? 0),
      }),
      { failed: 0, succeeded: 0 },
    );
  const all = sum(activity.periods);
  const inside = sum(activity.periods.filter((period) => isInWindow(period, activity, window)));
  const first = activity.periods[0]!.start.toISOString().slice(0, 16).replace("T", " ");
  const end = new Date(activity.periods.at(-1)!.start.getTime() + PERIOD_MS[activity.level])
    .toISOString()
    .slice(0, 16)
    .replace("T", " ");
  return (
    `From ${first} to ${end} UTC, ${subject} had ${all.failed} failed and ${all.succeeded} successful logs; ` +
    `the periods of the alert's window hold ${inside.failed} failed and ${inside.succeeded} successful.`
  );
}
