// One clear instance of each finding type, placed in the 24 hours before `now`
// (where a default detection run looks), with recognisable subjects, and the
// earlier history that the per-user rules need. Pure: it returns the log
// inputs to ingest and what detection is expected to find in them.
import { isOffHours, type DetectionConfig } from "@/lib/foundation/detection-config";
import type { FindingType } from "@/lib/records/anomaly/finding";
import { createLocalClock } from "@/lib/foundation/util/local-time";
import { describeEvent, ACTIONS, type Action, type LogStatus } from "./log-vocabulary";
import type { GeneratedLogInput } from "./logs";
import { seededRandom, type Random } from "./random";

export type InjectedAnomaly = {
  type: FindingType;
  /** The subject the finding names. */
  ip?: string;
  user?: string;
  /** The first log of the instance. */
  time: Date;
  /** Logs of the instance inside the 24 hours. */
  count: number;
  /** Earlier logs that give the user the history the rule needs. */
  history: number;
};

/** A generated log input whose action may be one of ANOMALY_FAILURE_ACTIONS. */
export type InjectedLogInput = Omit<GeneratedLogInput, "action"> & { action: string };
export type AnomalyInjection = { logs: InjectedLogInput[]; injected: InjectedAnomaly[] };

export const INJECTED_SUBJECTS = {
  burstIp: "203.0.113.66",
  victim: "victim.user",
  sprayIp: "203.0.113.77",
  compromisedIp: "203.0.113.88",
  compromised: "compromised.user",
  outsideIp: "198.51.100.23",
  outsider: "remote.contractor",
  nightOwl: "night.owl",
  habitUser: "habit.user",
  habitIp: "10.0.50.10",
  newIp: "10.0.99.99",
  routineUser: "routine.user",
  routineIp: "10.0.60.10",
} as const;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Instances keep clear of the present (clock skew) and of the range's far edge. */
const NEWEST = 20 * MINUTE;
const OLDEST = 23 * 60 * MINUTE;
const SLOT_SPACING = 30;
const SPRAY_TARGETS = [
  "alice.smith",
  "bob.jones",
  "carol.garcia",
  "dave.chen",
  "erin.patel",
  "frank.muller",
  "grace.rossi",
  "heidi.kim",
  "ivan.novak",
  "judy.silva",
];

type Draft = { time: number; user: string; ip: string; action: string; status: LogStatus; source?: string };

export function planAnomalyInjection(config: DetectionConfig, now = new Date()): AnomalyInjection {
  const subjects = INJECTED_SUBJECTS;
  const { day, night } = slotsOf(config, now.getTime());
  if (day.length <= 6 * SLOT_SPACING || night.length === 0) {
    throw new RangeError("the configured off hours leave no room for the injected anomalies in the last 24 hours");
  }
  const slot = (index: number) => day[index * SLOT_SPACING]!;
  // Bursts fit well inside one window, however short it is configured.
  const step = (count: number) => Math.min(20_000, Math.floor(config.windowMs / (count + 1)));
  const attempt = config.failureActions[0] ?? "login";
  const drafts: Draft[] = [];
  const injected: InjectedAnomaly[] = [];
  const add = (anomaly: Omit<InjectedAnomaly, "time" | "history">, logs: Draft[], history: Draft[] = []) => {
    drafts.push(...history, ...logs);
    injected.push({ ...anomaly, time: new Date(logs[0]!.time), history: history.length });
  };
  const series = (start: number, count: number, make: (index: number, time: number) => Omit<Draft, "time">) =>
    Array.from({ length: count }, (_, index) => ({
      time: start + index * step(count),
      ...make(index, start + index * step(count)),
    }));

  const attackerTries = config.burstThreshold + 1;
  const takeover = series(slot(0), attackerTries + 1, (i) => ({
    user: subjects.compromised,
    ip: subjects.compromisedIp,
    action: attempt,
    status: i < attackerTries ? "failed" : "success",
    source: "vpn",
  }));
  add(
    { type: "success_after_failures", ip: subjects.compromisedIp, user: subjects.compromised, count: 1 },
    takeover.slice(attackerTries),
  );

  const guesses = ["root", "test", "guest"];
  const burst = series(slot(1), config.burstThreshold + 3, (i) => ({
    user: guesses[i % 3]!,
    ip: subjects.burstIp,
    action: attempt,
    status: "failed",
    source: "sshd",
  }));
  add({ type: "failure_burst", ip: subjects.burstIp, count: burst.length }, burst);

  const targeted = series(slot(2), config.burstThreshold + 2, (i) => ({
    user: subjects.victim,
    ip: `2001:db8:bad::${(i % 3) + 1}`,
    action: attempt,
    status: "failed",
    source: "web",
  }));
  add({ type: "targeted_account", user: subjects.victim, count: targeted.length }, targeted);

  const sprayed = Array.from({ length: config.sprayUsers + 3 }, (_, i) => SPRAY_TARGETS[i] ?? `user${i}.sprayed`);
  const spray = series(slot(3), sprayed.length, (i) => ({
    user: sprayed[i]!,
    ip: subjects.sprayIp,
    action: attempt,
    status: "failed",
    source: "web",
  }));
  add({ type: "password_spraying", ip: subjects.sprayIp, count: spray.length }, spray);

  add({ type: "unknown_network", ip: subjects.outsideIp, count: 1 }, [
    {
      time: slot(4),
      user: subjects.outsider,
      ip: subjects.outsideIp,
      action: "login",
      status: "success",
      source: "web",
    },
  ]);

  add({ type: "off_hours", user: subjects.nightOwl, count: 1 }, [
    { time: night[0]!, user: subjects.nightOwl, ip: "10.0.200.5", action: "data_export", status: "success" },
  ]);

  // History at the same time of day on earlier days: the hour is usual, the address is not.
  const habitAt = slot(5);
  add(
    { type: "new_ip_for_user", ip: subjects.newIp, user: subjects.habitUser, count: 1 },
    [{ time: habitAt, user: subjects.habitUser, ip: subjects.newIp, action: "login", status: "success" }],
    historyAround(config, habitAt, subjects.habitUser, subjects.habitIp),
  );

  // History six hours later in the day: the address is usual, the hour is not.
  const routineAt = slot(6);
  add(
    { type: "rare_hour_for_user", user: subjects.routineUser, count: 1 },
    [{ time: routineAt, user: subjects.routineUser, ip: subjects.routineIp, action: "login", status: "success" }],
    historyAround(config, routineAt + 6 * 60 * MINUTE, subjects.routineUser, subjects.routineIp),
  );

  drafts.push(...takeover.slice(0, attackerTries));
  drafts.sort((a, b) => a.time - b.time);
  const random = seededRandom(now.getTime() % 2_147_483_647);
  const stamp = now.getTime().toString(36);
  const logs = drafts.map((draft, index) =>
    toInput(random, `anomaly-${stamp}-${String(index).padStart(4, "0")}`, draft),
  );
  return { logs, injected: injected.sort((a, b) => a.time.getTime() - b.time.getTime()) };
}

/** Whole minutes between OLDEST and NEWEST before `now`, newest first, split by the configured off hours. */
function slotsOf(config: DetectionConfig, now: number): { day: number[]; night: number[] } {
  const clock = createLocalClock(config.timeZone);
  const newest = Math.floor((now - NEWEST) / MINUTE) * MINUTE;
  const day: number[] = [];
  const night: number[] = [];
  for (let time = newest; time > now - OLDEST; time -= MINUTE)
    (isOffHours(config.offHours, clock.minuteOfDay(time)) ? night : day).push(time);
  return { day, night };
}

/** Enough successful events, on enough earlier days, near the same time of day as `at`, to judge the user by. */
function historyAround(config: DetectionConfig, at: number, user: string, ip: string): Draft[] {
  const days = config.minHistoryDays + 1;
  const perDay = Math.ceil((config.minHistoryEvents + 5) / days);
  // From two days back: the history must end before the analysed range starts.
  return Array.from({ length: days * perDay }, (_, i) => ({
    time: at - (2 + Math.floor(i / perDay)) * DAY + (i % perDay) * 4 * MINUTE,
    user,
    ip,
    action: i % perDay === 0 ? "login" : "file_read",
    status: "success" as const,
  }));
}

function toInput(random: Random, logId: string, draft: Draft): InjectedLogInput {
  // A configured attempt action the vocabulary does not know is described as a login.
  const described = (ACTIONS as readonly string[]).includes(draft.action) ? (draft.action as Action) : "login";
  const details = describeEvent(random, { ...draft, action: described });
  return {
    log_id: logId,
    timestamp: new Date(draft.time).toISOString(),
    ip: draft.ip,
    user: draft.user,
    action: draft.action,
    status: draft.status,
    source: draft.source ?? details.source,
    message: details.message,
    metadata: details.metadata,
  };
}
