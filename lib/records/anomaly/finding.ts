// What detection reads (DetectableLog) and what it reports (Finding), the
// growing form of a finding while its window is open, and the plain-text
// pieces explanations are built from.
import type { StoredLog } from "@/lib/records/logs/record";

/** The fields detection needs; callers map their stored logs to it. */
export type DetectableLog = {
  log_id: string;
  time: Date;
  /** Absent for events without a client address (su, sudo): the address rules skip them. */
  ip?: string;
  user: string;
  action: string;
  status: "success" | "failed";
};

/** The detection view of a stored log, for on-demand detection reading the logs collection (without a whole search layout). */
export function detectableLogOf(
  log: Pick<StoredLog, "_id" | "time" | "ip" | "user" | "action" | "status">,
): DetectableLog {
  return {
    log_id: log._id,
    time: log.time,
    ...(log.ip != null && { ip: log.ip }),
    user: log.user,
    action: log.action,
    status: log.status,
  };
}

export const FINDING_TYPES = [
  "failure_burst",
  "targeted_account",
  "password_spraying",
  "success_after_failures",
  "unknown_network",
  "off_hours",
  "new_ip_for_user",
  "rare_hour_for_user",
  "source_silent",
] as const;
export type FindingType = (typeof FINDING_TYPES)[number];

export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export type Finding = {
  type: FindingType;
  severity: Severity;
  /** The subject: an IP, a user, or both; or a source. */
  ip?: string;
  user?: string;
  source?: string;
  /** Time of the first and the last log of the finding. */
  start: Date;
  end: Date;
  /** How many logs make the finding (log_ids holds the first few). */
  count: number;
  /**
   * Of `count`, the logs an earlier run of detection already counted in a
   * finding of this type (logs a checkpoint carries over to the next); absent
   * when none.
   */
  repeated?: number;
  log_ids: string[];
  /** One line of plain text; user names and addresses in it are escaped. */
  explanation: string;
};

export const MAX_LOG_IDS = 20;

/** A finding whose window is still open: later logs may still join it. */
/**
 * What detection knows of logs an earlier run already saw: whether one was
 * counted in a finding of a type (see Finding.repeated), and a callback told
 * each log a finding counts, for the next run.
 */
export type Counting = {
  countedBefore(logId: string, type: FindingType): boolean;
  counted(logId: string, type: FindingType): void;
};
export const FIRST_RUN: Counting = { countedBefore: () => false, counted: () => {} };

export class OpenFinding {
  end: number;
  count = 0;
  repeated = 0;
  readonly logIds: string[] = [];

  constructor(
    readonly type: FindingType,
    readonly subject: { ip?: string; user?: string },
    readonly start: number,
  ) {
    this.end = start;
  }

  add(time: number, logId: string, counting: Counting): void {
    this.end = time;
    this.count++;
    if (counting.countedBefore(logId, this.type)) this.repeated++;
    counting.counted(logId, this.type);
    if (this.logIds.length < MAX_LOG_IDS) this.logIds.push(logId);
  }

  toFinding(severity: Severity, explanation: string): Finding {
    return {
      type: this.type,
      severity,
      ...this.subject,
      start: new Date(this.start),
      end: new Date(this.end),
      count: this.count,
      ...(this.repeated > 0 && { repeated: this.repeated }),
      log_ids: [...this.logIds],
      explanation,
    };
  }
}

/** Orders findings by start, then end, then type: the order every result is returned in. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.start.getTime() - b.start.getTime() ||
    a.end.getTime() - b.end.getTime() ||
    FINDING_TYPES.indexOf(a.type) - FINDING_TYPES.indexOf(b.type)
  );
}

const UNSAFE = /[\p{C}\p{Zl}\p{Zp}"\\]/gu;
const MAX_TEXT = 80;

/**
 * A logged value as safe plain text for one line: control, format (bidi) and
 * separator characters, quotes and backslashes escaped, long values cut.
 */
export function plainText(value: string): string {
  const cut = [...value].length > MAX_TEXT ? `${[...value].slice(0, MAX_TEXT).join("")}…` : value;
  return cut.replace(UNSAFE, (char) => `\\u{${char.codePointAt(0)!.toString(16)}}`);
}

/** A user name as it appears in explanations: quoted, escaped. */
export function quotedUser(user: string): string {
  return `user "${plainText(user)}"`;
}

export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
  return minutes % 60 === 0 ? `${minutes / 60} h` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
