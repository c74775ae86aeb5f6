// UTC periods at three levels (day, hour, quarter) and how a quarter-aligned
// window splits into the fewest of them: whole days, then whole hours, then
// quarters at the edges. Each period has a string id, the only lookup the
// embedded server answers without reading the whole collection.

export const QUARTER_MS = 15 * 60 * 1000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export const PERIOD_LEVELS = ["day", "hour", "quarter"] as const;
export type PeriodLevel = (typeof PERIOD_LEVELS)[number];
export const PERIOD_MS: Record<PeriodLevel, number> = { day: DAY_MS, hour: HOUR_MS, quarter: QUARTER_MS };

export type Period = { level: PeriodLevel; start: number };

/** "d:2025-01-06", "h:2025-01-06T13", "q:2025-01-06T13:45". */
export function periodId({ level, start }: Period): string {
  return periodIdOfIso(level, new Date(start).toISOString());
}

/** The id of the period of `level` holding the time written as `iso` (its ISO string). */
function periodIdOfIso(level: PeriodLevel, iso: string): string {
  if (level === "day") return `d:${iso.slice(0, 10)}`;
  if (level === "hour") return `h:${iso.slice(0, 13)}`;
  return `q:${iso.slice(0, 16)}`;
}

export function quarterOf(time: Date): Date {
  return new Date(quarterStartOf(time.getTime()));
}

/** The start of the quarter `time` (epoch milliseconds) lies in. */
export function quarterStartOf(time: number): number {
  return floorTo(time, QUARTER_MS);
}

/** The quarter, hour and day a quarter lies in. */
export function periodsOfQuarter(quarter: number): Period[] {
  return PERIOD_LEVELS.map((level) => ({ level, start: floorTo(quarter, PERIOD_MS[level]) }));
}

/** periodsOfQuarter with their ids, from one ISO string: the day's and the hour's ids are prefixes of the quarter's. */
export function identifiedPeriodsOfQuarter(quarter: number): (Period & { id: string })[] {
  const iso = new Date(quarter).toISOString();
  return periodsOfQuarter(quarter).map((period) => ({ ...period, id: periodIdOfIso(period.level, iso) }));
}

/** [from, to), both whole quarters, as whole UTC days, hours and quarters, in order. */
export function periodsCovering(from: number, to: number): Period[] {
  if (from % QUARTER_MS !== 0 || to % QUARTER_MS !== 0)
    throw new Error(
      `periods cover whole quarters only: ${new Date(from).toISOString()} – ${new Date(to).toISOString()}`,
    );
  const periods: Period[] = [];
  for (let start = from; start < to;) {
    const level = PERIOD_LEVELS.find(
      (candidate) => start % PERIOD_MS[candidate] === 0 && start + PERIOD_MS[candidate] <= to,
    )!;
    periods.push({ level, start });
    start += PERIOD_MS[level];
  }
  return periods;
}

function floorTo(ms: number, unit: number): number {
  return Math.floor(ms / unit) * unit;
}
