// Frequent security events (refused requests, searches, views, exports) go
// into Ledgerline's own log aggregated, so that a flood of them cannot flood
// the log: per actor (user and address) and kind, the first event is written
// at once, and the further ones within the minute that follows are counted in
// memory and written as one entry when that minute closes (a timer), on
// flushAuditEvents() and at shutdown. A steady stream thus costs two entries
// a minute per actor and kind. Counting is per app instance: N instances
// write up to N such pairs. Writes run in the background and never fail or
// delay the request that caused them; a failed write is logged.
import type { SecurityEvent } from "./security-events";

export type AggregatedEvent = {
  action: string;
  status: "success" | "failed";
  user: string;
  ip?: string;
  /** Describes this one event: the message of an entry written at once. */
  message: string;
  /** What a summary entry counts, in the plural: "searches", "refused requests". */
  noun: string;
  /** What the event was about (a filter, a log id, a path): hostile text, stored bounded and sampled. */
  subject?: { name: string; value: string };
  /** Events that differ here are counted apart (a status code, an export format). */
  labels?: Record<string, string | number>;
  /** Summed over the counted events (rows shown). */
  amounts?: Record<string, number>;
};

export type AggregatorOptions = {
  write: (event: SecurityEvent) => Promise<void>;
  windowMs?: number;
  /** Open windows at most; past it, new actors share one window per kind (a flood from many addresses). */
  maxWindows?: number;
  now?: () => Date;
  onError?: (error: unknown) => void;
};

export const AUDIT_WINDOW_MS = 60_000;
const MAX_WINDOWS = 256;
const SAMPLES = 3;
/** Characters kept of each subject; metadata values may hold 1,024. */
export const SUBJECT_MAX = 256;
/** The user of the shared window that actors beyond MAX_WINDOWS fall into. */
export const MANY_ACTORS = "(more actors)";

type Window = {
  first: AggregatedEvent;
  openedAt: Date;
  timer: ReturnType<typeof setTimeout>;
  count: number;
  firstAt?: Date;
  lastAt?: Date;
  samples: string[];
  unsampled: number;
  amounts: Record<string, number>;
};

export class AuditAggregator {
  private readonly windows = new Map<string, Window>();
  private readonly writes = new Set<Promise<void>>();
  private readonly windowMs: number;
  private readonly maxWindows: number;
  private readonly now: () => Date;
  private readonly onError: (error: unknown) => void;

  constructor(private readonly options: AggregatorOptions) {
    this.windowMs = options.windowMs ?? AUDIT_WINDOW_MS;
    this.maxWindows = options.maxWindows ?? MAX_WINDOWS;
    this.now = options.now ?? (() => new Date());
    this.onError =
      options.onError ?? ((error) => console.error("ledgerline: a security event was not recorded:", error));
  }

  /** Never throws and never waits. */
  record(event: AggregatedEvent): void {
    try {
      this.count(event);
    } catch (error) {
      this.onError(error);
    }
  }

  /** Writes every open window's count now and waits for every write begun so far. */
  async flush(): Promise<void> {
    for (const key of [...this.windows.keys()]) this.close(key);
    while (this.writes.size > 0) await Promise.all([...this.writes]);
  }

  private count(event: AggregatedEvent): void {
    let key = windowKey(event);
    if (!this.windows.has(key) && this.windows.size >= this.maxWindows) {
      event = {
        ...event,
        user: MANY_ACTORS,
        ip: undefined,
        message: `${event.message} (one of more than ${this.maxWindows} actors this minute)`,
      };
      key = windowKey(event);
    }
    const window = this.windows.get(key);
    const at = this.now();
    if (!window) {
      const timer = setTimeout(() => this.close(key), this.windowMs);
      timer.unref?.();
      this.windows.set(key, { first: event, openedAt: at, timer, count: 0, samples: [], unsampled: 0, amounts: {} });
      this.write(entryOf(event, this.windowMs));
      return;
    }
    window.count++;
    window.firstAt ??= at;
    window.lastAt = at;
    for (const [name, amount] of Object.entries(event.amounts ?? {}))
      window.amounts[name] = (window.amounts[name] ?? 0) + amount;
    if (event.subject) {
      const value = boundedText(event.subject.value, SUBJECT_MAX);
      if (window.samples.includes(value)) return;
      if (window.samples.length < SAMPLES) window.samples.push(value);
      else window.unsampled++;
    }
  }

  private close(key: string): void {
    const window = this.windows.get(key);
    if (!window) return;
    this.windows.delete(key);
    clearTimeout(window.timer);
    if (window.count > 0) this.write(summaryOf(window, this.windowMs));
  }

  private write(event: SecurityEvent): void {
    const done: Promise<void> = this.options
      .write(event)
      .catch(this.onError)
      .finally(() => this.writes.delete(done));
    this.writes.add(done);
  }
}

function windowKey({ action, status, user, ip, labels }: AggregatedEvent): string {
  return JSON.stringify([
    action,
    status,
    user,
    ip ?? "",
    Object.entries(labels ?? {}).sort(([a], [b]) => a.localeCompare(b)),
  ]);
}

function entryOf(event: AggregatedEvent, windowMs: number): SecurityEvent {
  const subject = event.subject ? { [event.subject.name]: boundedText(event.subject.value, SUBJECT_MAX) } : {};
  return {
    action: event.action,
    status: event.status,
    user: event.user,
    ...(event.ip !== undefined && { ip: event.ip }),
    message: boundedText(event.message, 1_000),
    metadata: { count: 1, window_seconds: windowMs / 1000, ...event.labels, ...event.amounts, ...subject },
  };
}

function summaryOf(window: Window, windowMs: number): SecurityEvent {
  const { first } = window;
  const firstAt = window.firstAt!.toISOString();
  const lastAt = window.lastAt!.toISOString();
  const samples: Record<string, string | number> = {};
  if (first.subject) {
    window.samples.forEach(
      (value, index) => (samples[index === 0 ? first.subject!.name : `${first.subject!.name}_${index + 1}`] = value),
    );
    if (window.unsampled > 0) samples[`other_${first.subject.name}_count`] = window.unsampled;
  }
  return {
    action: first.action,
    status: first.status,
    user: first.user,
    ...(first.ip !== undefined && { ip: first.ip }),
    message: `${window.count} more ${first.noun} from ${firstAt} to ${lastAt}, in the minute after the one recorded at ${window.openedAt.toISOString()}`,
    metadata: {
      count: window.count,
      window_seconds: windowMs / 1000,
      first_at: firstAt,
      last_at: lastAt,
      ...first.labels,
      ...window.amounts,
      ...samples,
    },
  };
}

// Lone surrogates are refused by the log schema, NUL by the embedded server.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;

/** Hostile text made storable: control characters escaped as \uXXXX, lone surrogates replaced, at most `max` characters. */
export function boundedText(text: string, max: number): string {
  const clean = text
    .replace(LONE_SURROGATE, "\uFFFD")
    .replace(CONTROL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
  if (clean.length <= max) return clean;
  // Cut before a pair's second half rather than through it.
  const end = /[\uD800-\uDBFF]/.test(clean[max - 2] ?? "") ? max - 2 : max - 1;
  return `${clean.slice(0, end)}…`;
}
