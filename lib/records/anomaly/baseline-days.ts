// The baseline as checkpoints keep it: one document per UTC day holding, per
// user, the tally (baseline.ts) of the successful events of that day that the
// checkpoints up to `through` covered. Pure functions here; the database side
// is lib/derived/alerts/baseline-store.ts. A document also keeps, for the users its
// last checkpoint changed, their tallies before it (`previous`), so that
// deriving that checkpoint again judges its logs against the same history.
//
// History at checkpoint N: the successful events of checkpoints before N
// whose UTC date lies from ANOMALY_BASELINE_DAYS days before N's earliest
// successful log through N's latest one. So a log is judged against at least
// the 14 days before its own date plus the earlier hours of that date (and,
// when N spans several dates or a late log arrives, a little more).
import type { DetectableLog } from "./finding";
import type { DetectionConfig } from "@/lib/foundation/detection-config";
import { baselineOf, createTallyCounter, emptyTally, mergeTally, type UserBaseline, type UserTally } from "./baseline";

const DAY_MS = 86_400_000;

/** One user's tally as stored: arrays instead of sets, `hours` without trailing zeros. */
export type StoredTally = {
  user: string;
  events: number;
  hours: number[];
  days: number[];
  ips: string[];
  ips_full: boolean;
};

// The tallies are stored as one JSON text rather than as BSON arrays of
// documents: the embedded server decodes a document value by value, and a
// day of 200 users (7,000 values, 37 kB) takes 40 ms to read or write that
// way, the same data as one string 4-6 ms.

export type BaselineDay = {
  /** `baseline:` and the UTC date. */
  _id: string;
  /** The UTC date, YYYY-MM-DD. */
  day: string;
  /** The zone of the tallies' hours and dates: a document of another zone counts as empty. */
  time_zone: string;
  /** The last checkpoint whose logs were added. */
  through: number;
  /** JSON of the StoredTally of each user, sorted by user. */
  users: string;
  /** The checkpoint that had added logs before `through` (0: none). */
  previous_through: number;
  /** JSON of the StoredTally, as of `previous_through`, of each user `through` changed (0 events: the user was absent). */
  previous: string;
};

export function storedTallies(json: string): StoredTally[] {
  return JSON.parse(json) as StoredTally[];
}

export function baselineDayId(day: string): string {
  return `baseline:${day}`;
}

export function utcDay(time: number): string {
  return new Date(Math.floor(time / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

/** The UTC dates whose documents hold the history of `logs`' successes (see above), oldest first; none without successes. */
export function historyDays(logs: Iterable<DetectableLog>, config: DetectionConfig): string[] {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const log of logs) {
    const time = log.time.getTime();
    if (log.status !== "success" || Number.isNaN(time)) continue;
    first = Math.min(first, Math.floor(time / DAY_MS));
    last = Math.max(last, Math.floor(time / DAY_MS));
  }
  const days: string[] = [];
  for (let day = first - Math.round(config.baselineMs / DAY_MS); day <= last; day++) days.push(utcDay(day * DAY_MS));
  return days;
}

/** The tallies of `logs`' successes, per UTC date and user. */
export function tallyByDay(
  logs: Iterable<DetectableLog>,
  config: DetectionConfig,
): Map<string, Map<string, UserTally>> {
  const count = createTallyCounter(config);
  const byDay = new Map<string, Map<string, UserTally>>();
  // Logs come about in time order: a date's string is made once per run of logs on it, not per log.
  let dayNumber = Number.NaN;
  let users = new Map<string, UserTally>();
  for (const log of logs) {
    const time = log.time.getTime();
    if (log.status !== "success" || Number.isNaN(time)) continue;
    if (Math.floor(time / DAY_MS) !== dayNumber) {
      dayNumber = Math.floor(time / DAY_MS);
      users = usersOfDay(byDay, utcDay(time));
    }
    count(users, log);
  }
  return byDay;
}

function usersOfDay(byDay: Map<string, Map<string, UserTally>>, day: string): Map<string, UserTally> {
  let users = byDay.get(day);
  if (users === undefined) byDay.set(day, (users = new Map()));
  return users;
}

/** The tallies of `doc` as they stood before checkpoint N was added. */
export function talliesBefore(doc: BaselineDay | null, checkpoint: number, timeZone: string): Map<string, UserTally> {
  const users = new Map<string, UserTally>();
  if (doc === null || doc.time_zone !== timeZone) return users;
  for (const stored of storedTallies(doc.users)) users.set(stored.user, tallyOf(stored));
  // Only when N (or a later checkpoint) was already added. Should a writer that
  // stalled re-derive N after N+1 changed the day too (the checkpoint order
  // prevents that otherwise), this is the closest state at hand.
  if (doc.through >= checkpoint) {
    for (const stored of storedTallies(doc.previous)) {
      if (stored.events === 0) users.delete(stored.user);
      else users.set(stored.user, tallyOf(stored));
    }
  }
  return users;
}

/** The history of checkpoint N for the detector: the documents of `historyDays`, as of before N, merged. */
export function baselineFromDays(
  docs: Iterable<BaselineDay | null>,
  checkpoint: number,
  config: DetectionConfig,
): UserBaseline {
  const users = new Map<string, UserTally>();
  for (const doc of docs) {
    for (const [user, tally] of talliesBefore(doc, checkpoint, config.timeZone)) {
      const merged = users.get(user);
      if (merged === undefined) users.set(user, tally);
      else mergeTally(merged, tally);
    }
  }
  return baselineOf(config.timeZone, users);
}

/**
 * The document of `day` once checkpoint N's tallies are added to `doc`
 * (null: none yet). Deterministic: the same document and tallies give the
 * same result, whatever order the logs came in.
 */
export function addToDay(
  doc: BaselineDay | null,
  day: string,
  checkpoint: number,
  added: ReadonlyMap<string, UserTally>,
  timeZone: string,
): BaselineDay {
  // A document of another zone starts afresh: `npm run db:baselines` recounts it.
  const current = doc !== null && doc.time_zone === timeZone ? storedTallies(doc.users) : [];
  const users = new Map(current.map((stored) => [stored.user, stored]));
  const previous: StoredTally[] = [];
  for (const [user, tally] of added) {
    const before = users.get(user);
    previous.push(before ?? storedTally(user, emptyTally()));
    const merged = before === undefined ? emptyTally() : tallyOf(before);
    mergeTally(merged, tally);
    users.set(user, storedTally(user, merged));
  }
  return {
    _id: baselineDayId(day),
    day,
    time_zone: timeZone,
    through: checkpoint,
    users: JSON.stringify([...users.values()].sort(byUser)),
    previous_through: doc?.through ?? 0,
    previous: JSON.stringify(previous.sort(byUser)),
  };
}

function byUser(a: StoredTally, b: StoredTally): number {
  return a.user < b.user ? -1 : a.user > b.user ? 1 : 0;
}

export function storedTally(user: string, tally: UserTally): StoredTally {
  let length = 24;
  while (length > 0 && tally.hourCounts[length - 1] === 0) length--;
  return {
    user,
    events: tally.events,
    hours: tally.hourCounts.slice(0, length),
    days: [...tally.days].sort((a, b) => a - b),
    ips: [...tally.ips].sort(),
    ips_full: tally.isIpListFull,
  };
}

export function tallyOf(stored: StoredTally): UserTally {
  const hourCounts = new Array<number>(24).fill(0);
  stored.hours.forEach((count, hour) => (hourCounts[hour] = count));
  return {
    events: stored.events,
    days: new Set(stored.days),
    hourCounts,
    ips: new Set(stored.ips),
    isIpListFull: stored.ips_full,
  };
}
