// How the dashboard writes its numbers and times.
const COUNT = new Intl.NumberFormat("en-US");

export const formatCount = (value: number) => COUNT.format(value);

export const formatPercent = (rate: number | null) => (rate === null ? "–" : `${(rate * 100).toFixed(1)}%`);

/** "+2.5 pp", "−1.0 pp", "no change". */
export function formatPointChange(points: number | null): string {
  if (points === null) return "no earlier logs to compare";
  if (Math.abs(points) < 0.05) return "no change";
  return `${points > 0 ? "+" : "−"}${Math.abs(points).toFixed(1)} pp`;
}

/** "+12%" against a previous count above zero. */
export function formatCountChange(current: number, previous: number): string {
  const change = (current - previous) / previous;
  if (Math.abs(change) < 0.005) return "no change";
  return `${change > 0 ? "+" : "−"}${Math.abs(change * 100).toFixed(0)}%`;
}

/** "24 hours", "7 days", "15 minutes", "90 seconds": the largest unit that divides it, days from two on. */
export function formatDuration(ms: number): string {
  const units = [
    ["day", 86_400_000],
    ["hour", 3_600_000],
    ["minute", 60_000],
  ] as const;
  const [unit, size] = units.find(([unit, size]) => ms % size === 0 && (unit !== "day" || ms >= 2 * size)) ?? [
    "second",
    1_000,
  ];
  const count = Math.round(ms / size);
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
}

export function timeFormatter(timeZone: string): (iso: string) => string {
  const format = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    year: "numeric",
    month: "short",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZoneName: "short",
  });
  return (iso) => format.format(new Date(iso));
}
