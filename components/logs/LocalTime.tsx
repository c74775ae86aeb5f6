"use client";

import { useTimeDisplay } from "./time-display";

// dateStyle/timeStyle cannot be combined with timeZoneName, so the parts are spelled out.
const PARTS = {
  year: "numeric",
  month: "short",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
} as const;
const UTC_FORMAT = new Intl.DateTimeFormat("en-GB", { ...PARTS, timeZone: "UTC" });

/**
 * A time in the viewer's time zone (or `timeZone` when the page names one),
 * with UTC on hover; UTC throughout when the viewer chose it. The server
 * renders UTC, which the browser replaces once it knows the zone.
 */
export function LocalTime({ iso, timeZone }: { iso: string; timeZone?: string }) {
  const display = useTimeDisplay();
  const date = new Date(iso);
  const utc = `${UTC_FORMAT.format(date)} UTC`;
  const text =
    display === null || display === "utc"
      ? utc
      : new Intl.DateTimeFormat("en-GB", { ...PARTS, timeZone, timeZoneName: "short" }).format(date);
  return (
    <time dateTime={iso} title={utc} className="whitespace-nowrap tabular-nums">
      {text}
    </time>
  );
}
