// Which window the dashboard reads for a requested [from, to), and in which
// buckets it shows it: ranges of an hour or more read the 15-minute rollups
// (snapped outward to whole quarters), shorter ones read the raw logs by minute.
import { DAY_MS, HOUR_MS, QUARTER_MS } from "@/lib/derived/rollups/periods";

export { DAY_MS, HOUR_MS };
export const MINUTE_MS = 60_000;

export const BUCKET_MS = {
  "1m": MINUTE_MS,
  "15m": QUARTER_MS,
  "1h": HOUR_MS,
  "6h": 6 * HOUR_MS,
  "1d": DAY_MS,
} as const;
export type BucketSize = keyof typeof BUCKET_MS;

/** Shorter ranges read raw logs: whole quarters would blur a 15-minute view. */
export const SHORTEST_ROLLUP_RANGE_MS = HOUR_MS;

export type TimeWindow = { from: Date; to: Date };

export type DashboardWindow = TimeWindow & {
  source: "rollups" | "logs";
  /** The slots counts come in: quarters from rollups, minutes from raw logs. */
  slotMs: number;
  bucket: BucketSize;
  /** The period of the same length just before, for the change in failure rate. */
  previous: TimeWindow;
  requested: TimeWindow;
};

/** Bucket size for a span: about 5 to 60 buckets for the presets (15m, 1h, 24h, 7d, 30d). */
export function bucketFor(spanMs: number): BucketSize {
  if (spanMs < SHORTEST_ROLLUP_RANGE_MS) return "1m";
  if (spanMs <= 3 * HOUR_MS) return "15m";
  if (spanMs <= 2 * DAY_MS) return "1h";
  if (spanMs <= 14 * DAY_MS) return "6h";
  return "1d";
}

export function dashboardWindow(from: Date, to: Date): DashboardWindow {
  const requested = { from, to };
  const spanMs = to.getTime() - from.getTime();
  const short = spanMs < SHORTEST_ROLLUP_RANGE_MS;
  const slotMs = short ? MINUTE_MS : QUARTER_MS;
  // Raw logs are counted over the exact window; rollups only in whole quarters.
  const start = short ? from.getTime() : Math.floor(from.getTime() / QUARTER_MS) * QUARTER_MS;
  const end = short ? to.getTime() : Math.ceil(to.getTime() / QUARTER_MS) * QUARTER_MS;
  const length = end - start;
  return {
    from: new Date(start),
    to: new Date(end),
    source: short ? "logs" : "rollups",
    slotMs,
    bucket: bucketFor(spanMs),
    previous: { from: new Date(start - length), to: new Date(start) },
    requested,
  };
}
