// Wall-clock time in a configured zone, cheap enough to ask for every log.
// Every zone in use changes its UTC offset only at a multiple of 15 minutes
// UTC (DST switches happen at whole or half local hours, offsets are whole
// quarters: Asia/Kolkata +5:30, Australia/Adelaide +9:30/+10:30, Nepal +5:45),
// so one Intl lookup per 15-minute UTC slot gives the exact offset.
const SLOT_MS = 15 * 60_000;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const CACHE_LIMIT = 4_096;

export type LocalClock = {
  /** The local wall-clock time as milliseconds since 1970-01-01T00:00 local (read with getUTC* methods). */
  wall(time: number): number;
  /** The zone's hour of day, 0-23. */
  hour(time: number): number;
  /** Minutes since local midnight, 0-1439. */
  minuteOfDay(time: number): number;
  /** Days since 1970-01-01 in local time: equal for times on the same local date. */
  day(time: number): number;
};

/**
 * The zone as configured, with Intl's capitals when only they differ
 * ("europe/berlin" gives "Europe/Berlin"; "Asia/Kolkata" stays, though ICU
 * calls it "Asia/Calcutta"), or undefined when Intl does not know it.
 */
export function canonicalTimeZone(timeZone: string): string | undefined {
  try {
    const resolved = new Intl.DateTimeFormat("en-US", { timeZone }).resolvedOptions().timeZone;
    return resolved.toLowerCase() === timeZone.toLowerCase() ? resolved : timeZone;
  } catch {
    return undefined;
  }
}

export function createLocalClock(timeZone: string): LocalClock {
  const offsetAt = timeZone === "UTC" ? () => 0 : createOffsetLookup(timeZone);
  const local = (time: number) => time + offsetAt(time);
  return {
    wall: local,
    hour: (time) => modulo(Math.floor(local(time) / HOUR_MS), 24),
    minuteOfDay: (time) => modulo(Math.floor(local(time) / MINUTE_MS), 1_440),
    day: (time) => Math.floor(local(time) / DAY_MS),
  };
}

function createOffsetLookup(timeZone: string): (time: number) => number {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    era: "short",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
  });
  const cache = new Map<number, number>();
  let lastSlot = Number.NaN;
  let lastOffset = 0;
  return (time) => {
    const slot = Math.floor(time / SLOT_MS);
    if (slot === lastSlot) return lastOffset;
    let offset = cache.get(slot);
    if (offset === undefined) {
      offset = offsetOf(format, slot * SLOT_MS);
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(slot, offset);
    }
    lastSlot = slot;
    lastOffset = offset;
    return offset;
  };
}

function offsetOf(format: Intl.DateTimeFormat, time: number): number {
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(time)) parts[part.type] = part.value;
  const year = parts.era === "BC" ? 1 - Number(parts.year) : Number(parts.year);
  const wall = new Date(0);
  wall.setUTCFullYear(year, Number(parts.month) - 1, Number(parts.day));
  wall.setUTCHours(Number(parts.hour), Number(parts.minute));
  // Seconds of historical local mean time offsets are dropped: whole minutes suffice here.
  return wall.getTime() - Math.floor(time / MINUTE_MS) * MINUTE_MS;
}

function modulo(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}
