// The parser a bulk document falls back to when it carries a raw log line
// (rsyslog's file input, Filebeat's log input) instead of ECS fields: the one
// POST /api/logs/syslog reads lines with.
import type { LogInput } from "@/lib/records/logs/schemas";
import { parseSyslogLine } from "@/lib/records/syslog/parse-lines";

export type RawLineClock = {
  /** When the shipper read the line: a line without a year is placed near it. */
  receivedAt: Date;
  /** The zone of a line's local time, when the shipper names one (ECS event.timezone). */
  timeZone?: string;
};

/** The events one line records, or why it records none (the line is then neither stored nor an error). */
export type RawLineOutcome = { events: LogInput[] } | { skipped: string };

export type RawLineParser = (line: string, clock: RawLineClock) => RawLineOutcome;

export const parseRawLine: RawLineParser = parseSyslogLine;
