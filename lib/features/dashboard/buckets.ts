// Counts per slot (15-minute quarter or minute, UTC) into the chart's buckets
// and hours of day in the viewer's time zone. Every zone's offset is a whole
// number of quarters (Asia/Kolkata +5:30, Asia/Kathmandu +5:45) and changes
// only on a quarter boundary, so each slot lies inside one local bucket.
import type { LocalClock } from "@/lib/foundation/util/local-time";
import { BUCKET_MS, HOUR_MS, type DashboardWindow } from "./window";

export type SlotCounts = { start: number; total: number; failed: number };
export type SeriesBucket = { start: string; label: string; success: number; failed: number };
export type HourCounts = { hour: number; success: number; failed: number };

/** Every bucket of the window, in order, empty ones included. */
export function bucketSeries(
  slots: SlotCounts[],
  window: Pick<DashboardWindow, "from" | "to" | "slotMs" | "bucket">,
  clock: LocalClock,
): SeriesBucket[] {
  const bySlot = new Map(slots.map((slot) => [slot.start, slot]));
  const bucketMs = BUCKET_MS[window.bucket];
  const buckets = new Map<number, SeriesBucket>();
  const first = Math.floor(window.from.getTime() / window.slotMs) * window.slotMs;
  for (let start = first; start < window.to.getTime(); start += window.slotMs) {
    const wall = clock.wall(start);
    const wallStart = wall - modulo(wall, bucketMs);
    // Up to an hour, buckets are instants (a repeated hour at a DST change stays two buckets); longer ones are local
    // 6-hour blocks or dates.
    const key = bucketMs <= HOUR_MS ? start - (wall - wallStart) : wallStart;
    let bucket = buckets.get(key);
    if (!bucket)
      buckets.set(
        key,
        (bucket = {
          start: new Date(start).toISOString(),
          label: wallLabel(wallStart, window.bucket),
          success: 0,
          failed: 0,
        }),
      );
    const slot = bySlot.get(start);
    if (slot) {
      bucket.success += slot.total - slot.failed;
      bucket.failed += slot.failed;
    }
  }
  return [...buckets.values()];
}

/** Logs per local hour of day, 0–23. */
export function hoursOfDay(slots: SlotCounts[], clock: LocalClock): HourCounts[] {
  const hours = Array.from({ length: 24 }, (_, hour) => ({ hour, success: 0, failed: 0 }));
  for (const slot of slots) {
    const hour = hours[clock.hour(slot.start)]!;
    hour.success += slot.total - slot.failed;
    hour.failed += slot.failed;
  }
  return hours;
}

// "2026-04-01" for days, "04-01 06:00" for hours and 6-hour blocks, "09:15" for shorter buckets.
function wallLabel(wall: number, bucket: DashboardWindow["bucket"]): string {
  const iso = new Date(wall).toISOString();
  if (bucket === "1d") return iso.slice(0, 10);
  if (bucket === "1h" || bucket === "6h") return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
  return iso.slice(11, 16);
}

function modulo(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}
