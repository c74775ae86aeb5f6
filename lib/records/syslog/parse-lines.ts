// Syslog lines (RFC 3164 with or without PRI, RFC 5424, RFC 3339-stamped) in,
// log inputs out: one per authentication attempt of sshd, sudo and su, every
// other line skipped with its reason. Pure: no database, no clock of its own.
//
//   parseSyslogLine(line, { receivedAt, timeZone? }): { events: LogInput[] } | { skipped: SkipReason }
//     one line (a trailing \r is dropped); several events for `message repeated N times`
//     and sudo's `N incorrect password attempts`.
//   new SyslogReader({ receivedAt, timeZone? }).read(line): the same, line after line, numbering
//     the occurrences of identical lines so that each gets its own log_id (a request, a file).
//   readSyslogText(text, options): every line of a body; the events, the line each came from, skip counts.
//
// Each event's log_id is `sl-` + a hash of the raw line (and of the year given to a BSD
// timestamp) + `-` + its occurrence among identical lines read by the same reader, so
// sending the same lines again stores nothing twice. The event keeps the line's own time,
// its host as `source` and the line as `message`; `timeZone` (an IANA name, default UTC)
// is the zone BSD timestamps were written in.
import { createHash } from "node:crypto";
import { LOG_LIMITS, type LogInput } from "@/lib/records/logs/schemas";
import { readAttempt, SKIP_REASONS, type Attempt, type Details, type SkipReason } from "./auth-events";
import { readEnvelope, syslogClock, type SyslogClock, type SyslogEnvelope } from "./envelope";

export { SKIP_REASONS, type SkipReason } from "./auth-events";

export type SyslogOptions = { receivedAt: Date; timeZone?: string };
export type SyslogLineResult = { events: LogInput[] } | { skipped: SkipReason };
export type SyslogText = {
  events: LogInput[];
  /** The 1-based line number each event came from. */
  lines: number[];
  skipped: Record<SkipReason, number>;
  /** Lines read, blank ones not counted. */
  lineCount: number;
};

export const SYSLOG_ID_PREFIX = "sl-";
/**
 * Identical lines share a second, a host, a pid and (for sshd) a client port, so in
 * a time-ordered file they lie close together: remembering the most recent
 * distinct lines numbers them all while memory stays bounded on any file.
 */
const REMEMBERED_LINES = 100_000;

export function parseSyslogLine(line: string, options: SyslogOptions): SyslogLineResult {
  return new SyslogReader(options).read(line);
}

export class SyslogReader {
  private readonly clock: SyslogClock;
  private readonly occurrences = new Map<string, number>();

  constructor(options: SyslogOptions) {
    this.clock = syslogClock(options.receivedAt, options.timeZone ?? "UTC");
  }

  read(rawLine: string): SyslogLineResult {
    const line = rawLine.endsWith("\r") ? rawLine.slice(0, -1) : rawLine;
    // No stored text may hold NUL; the log_id still hashes the line as it came.
    const text = line.replaceAll("\u0000", "\uFFFD");
    const envelope = readEnvelope(text, this.clock);
    if (!envelope) return { skipped: "not_syslog" };
    const outcome = readAttempt(envelope.program, envelope.message);
    if ("skipped" in outcome) return outcome;
    const digest = lineDigest(line, envelope.inferredYear);
    const first = this.remember(digest, outcome.attempt.count);
    const event = eventOf(text, envelope, outcome.attempt);
    return {
      events: Array.from({ length: outcome.attempt.count }, (_, index) => ({
        log_id: `${SYSLOG_ID_PREFIX}${digest}-${first + index}`,
        ...event,
      })),
    };
  }

  /** Counts `count` more occurrences of the line; returns the number of the first. */
  private remember(digest: string, count: number): number {
    const seen = this.occurrences.get(digest) ?? 0;
    this.occurrences.delete(digest);
    this.occurrences.set(digest, seen + count);
    if (this.occurrences.size > REMEMBERED_LINES) this.occurrences.delete(this.occurrences.keys().next().value!);
    return seen + 1;
  }
}

export function readSyslogText(text: string, options: SyslogOptions): SyslogText {
  const reader = new SyslogReader(options);
  const result: SyslogText = {
    events: [],
    lines: [],
    skipped: Object.fromEntries(SKIP_REASONS.map((reason) => [reason, 0])) as Record<SkipReason, number>,
    lineCount: 0,
  };
  text.split("\n").forEach((line, index) => {
    if (line.trim() === "") return;
    result.lineCount++;
    const outcome = reader.read(line);
    if ("skipped" in outcome) result.skipped[outcome.skipped]++;
    else
      for (const event of outcome.events) {
        result.events.push(event);
        result.lines.push(index + 1);
      }
  });
  return result;
}

function lineDigest(line: string, inferredYear: number | undefined): string {
  const hash = createHash("sha256");
  if (inferredYear !== undefined) hash.update(`${inferredYear}\n`);
  return hash.update(line, "utf8").digest("hex").slice(0, 32);
}

function eventOf(line: string, envelope: SyslogEnvelope, attempt: Attempt): Omit<LogInput, "log_id"> {
  const message = clip(line, LOG_LIMITS.message);
  const metadata: Details = {};
  if (envelope.host !== undefined) metadata.host = envelope.host;
  if (envelope.program !== undefined) metadata.program = envelope.program;
  if (envelope.pid !== undefined) metadata.pid = /^\d{1,15}$/.test(envelope.pid) ? Number(envelope.pid) : envelope.pid;
  Object.assign(metadata, attempt.details);
  if (message.length < line.length) metadata.message_truncated = true;
  const event: Omit<LogInput, "log_id"> = {
    timestamp: envelope.timestamp,
    user: userOf(attempt.user),
    action: attempt.action,
    status: attempt.status,
    message,
    metadata: Object.fromEntries(
      Object.entries(metadata).map(([key, value]) => [
        key,
        typeof value === "string" ? clip(value, LOG_LIMITS.metadataValue) : value,
      ]),
    ),
  };
  if (attempt.ip !== undefined) event.ip = attempt.ip;
  if (envelope.host !== undefined) event.source = clip(envelope.host, LOG_LIMITS.source);
  return event;
}

/** sshd logs an empty user name as it was sent; a log needs one that is not blank. */
function userOf(user: string): string {
  return user.trim() === "" ? "(empty)" : clip(user, LOG_LIMITS.user);
}

/** At most `max` UTF-16 units, never ending in half a surrogate pair. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text[max - 1]!) ? max - 1 : max;
  return text.slice(0, end);
}
