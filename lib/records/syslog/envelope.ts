// The parts every syslog line shares, whatever its format: time, host,
// program, pid and the message. Three formats are read:
//   RFC 3164  `[<PRI>]Mmm dd hh:mm:ss host prog[pid]: msg` (plain /var/log/auth.log lines have no PRI)
//   RFC 5424  `<PRI>1 2026-01-02T03:04:05.123Z host app procid msgid [sd]|- msg`
//   RFC 3339  `[<PRI>]2026-12-07T10:00:00.123456+00:00 host prog[pid]: msg` (rsyslog's default on Debian 12)
import { createLocalClock } from "@/lib/foundation/util/local-time";
import { Timestamp } from "@/lib/records/logs/schemas";

export type SyslogEnvelope = {
  /** ISO 8601 with an offset or Z. */
  timestamp: string;
  /** The year a BSD timestamp was given (it names none); undefined when the line has one. */
  inferredYear?: number;
  host?: string;
  program?: string;
  pid?: string;
  message: string;
};

/** What a BSD timestamp is read against: when the line arrived, and the wall clock of the zone it was written in. */
export type SyslogClock = { receivedAt: number; receivedYear: number; toWall: (time: number) => number };

export function syslogClock(receivedAt: Date, timeZone: string): SyslogClock {
  const toWall = createLocalClock(timeZone).wall;
  const time = receivedAt.getTime();
  return { receivedAt: time, receivedYear: new Date(toWall(time)).getUTCFullYear(), toWall };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const PRI = String.raw`(?:<(?:\d{1,3})>)?`;
const BSD = new RegExp(String.raw`^${PRI}(${MONTHS.join("|")}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\S+) ?(.*)$`);
const RFC3339_TIME = String.raw`\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2})`;
const RFC3339 = new RegExp(String.raw`^${PRI}(${RFC3339_TIME}) (\S+) ?(.*)$`);
const RFC5424 = new RegExp(String.raw`^<\d{1,3}>1 (${RFC3339_TIME}|-) (\S+) (\S+) (\S+) (\S+) (.*)$`);
/** `prog[pid]: msg` or `prog: msg`. */
const TAG = /^([^\s[\]:]+)(?:\[([^\]\s]*)\])?: ?(.*)$/;
const NIL = "-";
const DAY_MS = 86_400_000;

/** The envelope of one line (without its line break), or undefined when it is in none of the formats or names no valid time. */
export function readEnvelope(line: string, clock: SyslogClock): SyslogEnvelope | undefined {
  const rfc5424 = RFC5424.exec(line);
  if (rfc5424) return rfc5424Envelope(rfc5424);
  const rfc3339 = RFC3339.exec(line);
  if (rfc3339) {
    const timestamp = rfc3339Timestamp(rfc3339[1]!);
    return timestamp === undefined ? undefined : { timestamp, host: rfc3339[2], ...tagged(rfc3339[3]!) };
  }
  const bsd = BSD.exec(line);
  if (!bsd) return undefined;
  const [, month, day, hour, minute, second, host, rest] = bsd;
  const time = bsdTime(MONTHS.indexOf(month!), Number(day), Number(hour), Number(minute), Number(second), clock);
  return time && { timestamp: time.date.toISOString(), inferredYear: time.year, host, ...tagged(rest!) };
}

function rfc5424Envelope(match: RegExpExecArray): SyslogEnvelope | undefined {
  const [, time, host, app, procid, , rest] = match;
  const timestamp = time === NIL ? undefined : rfc3339Timestamp(time!);
  if (timestamp === undefined) return undefined;
  const afterData = skipStructuredData(rest!);
  if (afterData === undefined) return undefined;
  return {
    timestamp,
    host: orUndefined(host!),
    program: orUndefined(app!),
    pid: orUndefined(procid!),
    message: afterData.replace(/^ /, "").replace(/^\uFEFF/, ""),
  };
}

function orUndefined(field: string): string | undefined {
  return field === NIL ? undefined : field;
}

/** What follows STRUCTURED-DATA (`-` or `[id k="v"]...`), or undefined when it is malformed. */
function skipStructuredData(text: string): string | undefined {
  if (text === NIL || text.startsWith(`${NIL} `)) return text.slice(1);
  let at = 0;
  while (text[at] === "[") {
    let inQuotes = false;
    for (at++; at < text.length; at++) {
      const char = text[at];
      if (inQuotes && char === "\\") at++;
      else if (char === '"') inQuotes = !inQuotes;
      else if (!inQuotes && char === "]") break;
    }
    if (at >= text.length) return undefined;
    at++;
  }
  if (at === 0 || (at < text.length && text[at] !== " ")) return undefined;
  return text.slice(at);
}

/** The time as a log's timestamp, or undefined when a log would not take it (a day its month does not have). */
function rfc3339Timestamp(text: string): string | undefined {
  const timestamp = text.toUpperCase();
  return Timestamp.safeParse(timestamp).success ? timestamp : undefined;
}

function tagged(rest: string): Pick<SyslogEnvelope, "program" | "pid" | "message"> {
  const tag = TAG.exec(rest);
  if (!tag) return { message: rest };
  return { program: tag[1], pid: tag[2] || undefined, message: tag[3]! };
}

/**
 * A BSD timestamp names no year and no zone: the zone is the clock's, the
 * year the one the receive time falls in there, or the year before when that
 * date would lie more than a day ahead of the receive time (a line of Dec 31
 * received on Jan 1). A day of slack leaves a host's clock or zone a few hours
 * ahead in the current year, where the future-time check catches it.
 */
function bsdTime(
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  clock: SyslogClock,
): { date: Date; year: number } | undefined {
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  for (const year of [clock.receivedYear, clock.receivedYear - 1]) {
    const wall = Date.UTC(year, month, day, hour, minute, Math.min(second, 59));
    if (new Date(wall).getUTCDate() !== day) continue;
    const date = new Date(fromWallClock(wall, clock.toWall));
    if (date.getTime() - clock.receivedAt <= DAY_MS) return { date, year };
  }
  return undefined;
}

/** The instant whose wall-clock time in the zone is `wall`; in a DST overlap the second of the two. */
function fromWallClock(wall: number, toWall: (time: number) => number): number {
  const first = wall - (toWall(wall) - wall);
  return wall - (toWall(first) - first);
}
