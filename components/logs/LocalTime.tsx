"use client";

import { useTimeDisplay } from "./time-display";

const UTC_FORMAT = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", dateStyle: "medium", timeStyle: "medium" });

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
      : new Intl.DateTimeFormat("en-GB", { timeZone, dateStyle: "medium", timeStyle: "medium", timeZoneName: "short" }).format(date);
  return (
    <time dateTime={iso} title={utc} className="whitespace-nowrap tabular-nums">
      {text}
    </time>
  );
}
