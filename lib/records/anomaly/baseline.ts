// Each user's own history, read by new_ip_for_user and rare_hour_for_user.
// Only successful events count: failures in a user's name are what attackers
// send, and must not teach us the attacker's address. A history is a tally of
// sums and sets, so tallies of any parts merge into the tally of the whole:
// checkpoints merge stored per-day tallies (baseline-days.ts), and on-demand
// detection merges those with the rest of its period read from the search
// layout, or tallies the whole period from a cursor. Memory: per user, at most
// MAX_IPS_PER_USER addresses and a few counters.
import type { DetectionConfig } from "@/lib/foundation/detection-config";
import type { DetectableLog } from "./finding";
import { createLocalClock } from "@/lib/foundation/util/local-time";
import { sharedIpClassifier } from "./shared-classifier";

export const MAX_IPS_PER_USER = 256;
const MAX_DAYS = 400;

export type UserHistory = Readonly<{
  /** Successful events in the baseline period. */
  events: number;
  /** Distinct local dates (in the baseline's time zone) they fall on. */
  days: number;
  /** Events per local hour of day, 0-23. */
  hourCounts: readonly number[];
  /** Addresses seen (canonical form); empty when `isIpListFull`. */
  ips: ReadonlySet<string>;
  /** More than MAX_IPS_PER_USER addresses: every address is ordinary for this user. */
  isIpListFull: boolean;
}>;

export type UserBaseline = Readonly<{
  /** Hours are local to this zone; a detector refuses a baseline of another zone. */
  timeZone: string;
  users: ReadonlyMap<string, UserHistory>;
}>;

/** One user's history while it is being counted. */
export type UserTally = {
  events: number;
  days: Set<number>;
  hourCounts: number[];
  ips: Set<string>;
  isIpListFull: boolean;
};

export type BaselineBuilder = {
  push(log: DetectableLog): void;
  build(): UserBaseline;
};

/** The period to read a baseline from for an analysis starting at `from`: [start, end). */
export function baselineRange(from: Date, config: DetectionConfig): { start: Date; end: Date } {
  return { start: new Date(from.getTime() - config.baselineMs), end: from };
}

export function emptyTally(): UserTally {
  return { events: 0, days: new Set(), hourCounts: new Array<number>(24).fill(0), ips: new Set(), isIpListFull: false };
}

/**
 * Counts a log into `users` (keyed by user) when it is a success with a valid
 * time; the returned function does that for the configuration's time zone.
 */
export function createTallyCounter(
  config: DetectionConfig,
): (users: Map<string, UserTally>, log: DetectableLog) => boolean {
  const clock = createLocalClock(config.timeZone);
  const classify = sharedIpClassifier(config.allowedNetworks);
  return (users, log) => {
    const time = log.time.getTime();
    if (log.status !== "success" || Number.isNaN(time)) return false;
    let tally = users.get(log.user);
    if (tally === undefined) {
      tally = emptyTally();
      users.set(log.user, tally);
    }
    tally.events++;
    tally.hourCounts[clock.hour(time)]!++;
    addDay(tally, clock.day(time));
    if (log.ip !== undefined) addIp(tally, classify(log.ip).key);
    return true;
  };
}

/** Adds `from` into `into`: counts add up, dates and addresses unite. */
export function mergeTally(into: UserTally, from: UserTally): void {
  into.events += from.events;
  for (let hour = 0; hour < 24; hour++) into.hourCounts[hour]! += from.hourCounts[hour] ?? 0;
  for (const day of from.days) addDay(into, day);
  if (from.isIpListFull) markIpListFull(into);
  else for (const ip of from.ips) addIp(into, ip);
}

function addDay(tally: UserTally, day: number): void {
  if (tally.days.size < MAX_DAYS) tally.days.add(day);
}

// Past the cap the addresses themselves no longer matter (the new-IP rule
// leaves the user alone), so they are dropped: a tally then never depends on
// the order its logs came in.
function addIp(tally: UserTally, ip: string): void {
  if (tally.isIpListFull || tally.ips.has(ip)) return;
  if (tally.ips.size < MAX_IPS_PER_USER) tally.ips.add(ip);
  else markIpListFull(tally);
}

function markIpListFull(tally: UserTally): void {
  tally.ips.clear();
  tally.isIpListFull = true;
}

/** The frozen baseline of counted tallies. */
export function baselineOf(timeZone: string, users: ReadonlyMap<string, UserTally>): UserBaseline {
  const built = new Map<string, UserHistory>();
  for (const [user, tally] of users) {
    built.set(
      user,
      Object.freeze({
        ...tally,
        days: tally.days.size,
        hourCounts: Object.freeze([...tally.hourCounts]),
        ips: new Set(tally.ips),
      }),
    );
  }
  return Object.freeze({ timeZone, users: built });
}

export function createBaselineBuilder(config: DetectionConfig): BaselineBuilder {
  const count = createTallyCounter(config);
  const users = new Map<string, UserTally>();
  return {
    push: (log) => void count(users, log),
    build: () => baselineOf(config.timeZone, users),
  };
}

/** The user's history when it is long enough to judge by (minimum events on minimum days). */
export function historyOf(
  baseline: UserBaseline | undefined,
  user: string,
  config: DetectionConfig,
): UserHistory | undefined {
  const history = baseline?.users.get(user);
  return history !== undefined && history.events >= config.minHistoryEvents && history.days >= config.minHistoryDays
    ? history
    : undefined;
}
