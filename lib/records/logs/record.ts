// The stored shape of a log and the pieces derived from it. A log's _id is its
// log_id, so a retried insert is caught by the insert itself.
import type { SignedLogFields } from "@/lib/records/integrity/canonical";
import type { LogInput } from "./schemas";

export type LogContent = Pick<
  SignedLogFields,
  "timestamp" | "ip" | "user" | "action" | "status" | "source" | "message" | "metadata"
> & {
  /** True when the client sent no timestamp and the receive time was used. */
  timestamp_defaulted?: true;
};

export type StoredLog = LogContent & {
  _id: string;
  /** Who stored the log (./provenance.ts); absent on logs stored before it was recorded. */
  ingested_by?: string;
  /** The timestamp parsed (millisecond precision) for queries; `timestamp` keeps what was sent. */
  time: Date;
  received_at: Date;
  sequence: number;
  key_id: string;
  mac: string;
  /** The ip as an ordered key (lib/foundation/net/ip), so a CIDR filter is a range; derived, not signed; absent with the ip. */
  ip_key?: string;
  /** Precomputed UTC dimensions: the embedded server cannot compute date parts. */
  hour: number;
  day: string;
  quarter: Date;
  /** The UTC minute, for the dashboard's 1-minute buckets over short ranges (absent on logs stored before it existed). */
  minute?: Date;
};

const QUARTER_MS = 15 * 60 * 1000;
const MINUTE_MS = 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export function logContentOf(input: LogInput, receivedAt: Date): LogContent {
  const content: LogContent = {
    timestamp: input.timestamp ?? receivedAt.toISOString(),
    user: input.user,
    action: input.action,
    status: input.status,
  };
  if (input.timestamp === undefined) content.timestamp_defaulted = true;
  if (input.ip !== undefined) content.ip = input.ip;
  if (input.source !== undefined) content.source = input.source;
  if (input.message !== undefined) content.message = input.message;
  if (input.metadata !== undefined) content.metadata = { ...input.metadata };
  return content;
}

export function timeDimensions(time: Date): Required<Pick<StoredLog, "hour" | "day" | "quarter" | "minute">> {
  const ms = time.getTime();
  return {
    hour: time.getUTCHours(),
    day: dayText(time),
    quarter: new Date(Math.floor(ms / QUARTER_MS) * QUARTER_MS),
    minute: new Date(Math.floor(ms / MINUTE_MS) * MINUTE_MS),
  };
}

// The logs of a batch mostly fall on one UTC day: its text is made once.
let lastDay = { number: Number.NaN, text: "" };

function dayText(time: Date): string {
  const number = Math.floor(time.getTime() / DAY_MS);
  if (number !== lastDay.number) lastDay = { number, text: time.toISOString().slice(0, 10) };
  return lastDay.text;
}

export type UnsignedLog = Omit<StoredLog, "key_id" | "mac">;

/** What the MAC covers, but for the key id that signing adds. */
export function unsignedFieldsOf(log: UnsignedLog): Omit<SignedLogFields, "key_id"> {
  const fields: Omit<SignedLogFields, "key_id"> = {
    log_id: log._id,
    timestamp: log.timestamp,
    received_at: log.received_at,
    user: log.user,
    action: log.action,
    status: log.status,
    sequence: log.sequence,
  };
  if (log.ip != null) fields.ip = log.ip;
  if (log.source !== undefined) fields.source = log.source;
  if (log.message !== undefined) fields.message = log.message;
  if (log.metadata !== undefined) fields.metadata = log.metadata;
  if (log.ingested_by != null) fields.ingested_by = log.ingested_by;
  return fields;
}

/** What the MAC covers, read from a stored log. */
export function signedFieldsOf(log: StoredLog): SignedLogFields {
  return { ...unsignedFieldsOf(log), key_id: log.key_id };
}

/**
 * A comparable form of what the client sent, for telling a retry (same
 * content) from a conflict (same log_id, different content).
 */
export function contentKey(content: LogContent): string {
  const metadata = content.metadata
    ? Object.entries(content.metadata).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    : null;
  return JSON.stringify([
    content.timestamp_defaulted ? null : content.timestamp,
    content.ip ?? null,
    content.user,
    content.action,
    content.status,
    content.source ?? null,
    content.message ?? null,
    metadata,
  ]);
}
