// Each user's own history, built by streaming the baseline period (by default
// the 14 days before the analysed range) and read by new_ip_for_user and
// rare_hour_for_user. Only successful events count: failures in a user's name
// are what attackers send, and must not teach us the attacker's address.
// Memory: per user, at most MAX_IPS_PER_USER addresses and a few counters.
import type { DetectionConfig } from "./config";
import type { DetectableLog } from "./finding";
import { createLocalClock } from "./local-time";
import { createIpClassifier } from "./networks";

export const MAX_IPS_PER_USER = 256;
const MAX_DAYS = 400;

export type UserHistory = Readonly<{
  /** Successful events in the baseline period. */
  events: number;
  /** Distinct local dates (in the baseline's time zone) they fall on. */
  days: number;
  /** Events per local hour of day, 0-23. */
  hourCounts: readonly number[];
  /** Addresses seen (canonical form); with `isIpListFull`, only the first MAX_IPS_PER_USER. */
  ips: ReadonlySet<string>;
  isIpListFull: boolean;
}>;

export type UserBaseline = Readonly<{
  /** Hours are local to this zone; a detector refuses a baseline of another zone. */
  timeZone: string;
  users: ReadonlyMap<string, UserHistory>;
}>;

export type BaselineBuilder = {
  push(log: DetectableLog): void;
  build(): UserBaseline;
};

/** The period to read a baseline from for an analysis starting at `from`: [start, end). */
export function baselineRange(from: Date, config: DetectionConfig): { start: Date; end: Date } {
  return { start: new Date(from.getTime() - config.baselineMs), end: from };
}

export function createBaselineBuilder(config: DetectionConfig): BaselineBuilder {
  const clock = createLocalClock(config.timeZone);
  const classify = createIpClassifier(config.allowedNetworks);
  const users = new Map<string, { events: number; days: Set<number>; hourCounts: number[]; ips: Set<string>; isIpListFull: boolean }>();
  return {
    push(log) {
      const time = log.time.getTime();
      if (log.status !== "success" || Number.isNaN(time)) return;
      let history = users.get(log.user);
      if (history === undefined) {
        history = { events: 0, days: new Set(), hourCounts: new Array<number>(24).fill(0), ips: new Set(), isIpListFull: false };
        users.set(log.user, history);
      }
      history.events++;
      history.hourCounts[clock.hour(time)]!++;
      if (history.days.size < MAX_DAYS) history.days.add(clock.day(time));
      const ip = classify(log.ip).key;
      if (history.ips.size < MAX_IPS_PER_USER) history.ips.add(ip);
      else if (!history.ips.has(ip)) history.isIpListFull = true;
    },
    build() {
      const built = new Map<string, UserHistory>();
      for (const [user, history] of users) {
        built.set(user, Object.freeze({ ...history, days: history.days.size, hourCounts: Object.freeze([...history.hourCounts]) }));
      }
      return Object.freeze({ timeZone: config.timeZone, users: built });
    },
  };
}

/** The user's history when it is long enough to judge by (minimum events on minimum days). */
export function historyOf(baseline: UserBaseline | undefined, user: string, config: DetectionConfig): UserHistory | undefined {
  const history = baseline?.users.get(user);
  return history !== undefined && history.events >= config.minHistoryEvents && history.days >= config.minHistoryDays ? history : undefined;
}
