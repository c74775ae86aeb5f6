// Realistic security log inputs for benchmarks, demo data and tests: pure and
// deterministic for a seed, in time order, in the shape POST /api/logs takes.
// "mixed" traffic (the default, and the benchmark dataset's) holds, besides
// everyday activity (skewed users, business hours, ~8% failures), what anomaly
// detection looks for: failed-login bursts from one address, password spraying
// (one address, many users), night activity and outside addresses. "normal"
// traffic holds none of that: people work their own shifts from their own
// devices inside 10.0.0.0/16, service accounts run their jobs, nights are quiet.
import {
  attackerIp,
  describeEvent,
  officeIp,
  pickAction,
  pickUserRank,
  pickWorkdayAction,
  userIp,
  workingHours,
  FAILURE_RATES,
  SERVICE_ACTIONS,
  USERS,
  type Action,
  type LogStatus,
  type MetadataValue,
} from "./log-vocabulary";
import { seededRandom, type Random } from "./random";

export type GeneratedLogInput = {
  log_id: string;
  timestamp: string;
  ip: string;
  user: string;
  action: Action;
  status: LogStatus;
  source?: string;
  message?: string;
  metadata?: Record<string, MetadataValue>;
};

export type LogGeneratorOptions = {
  count: number;
  seed: number;
  start: Date;
  end: Date;
  /** "mixed" (default): everyday activity with attacks; "normal": everyday activity only. */
  traffic?: "mixed" | "normal";
};

/** The user with the most logs in any large enough dataset. */
export const BUSIEST_USER = USERS[0]!;

type Event = { time: number; user: string; ip: string; action: Action; status: LogStatus; source?: string };

const HOUR_MS = 3_600_000;
const BURST_RATE = 1 / 500;
const SPRAY_RATE = 1 / 2_500;

export function* generateLogInputs({
  count,
  seed,
  start,
  end,
  traffic = "mixed",
}: LogGeneratorOptions): Generator<GeneratedLogInput> {
  if (!Number.isSafeInteger(count) || count < 0)
    throw new RangeError(`count must be a non-negative integer, got ${count}`);
  if (!(start.getTime() < end.getTime())) throw new RangeError("start must be before end");
  const random = seededRandom(seed);
  if (traffic === "normal") {
    yield* normalTraffic(random, seed, count, start.getTime(), end.getTime());
    return;
  }
  const clock = diurnalClock(start.getTime(), end.getTime(), count, hourWeight);
  // Bursts and sprays span minutes: their later events wait here, in time order.
  let pending: Event[] = [];
  let last = start.getTime();
  for (let index = 0; index < count; index++) {
    const slot = clock(index + random.next());
    let event: Event;
    if (pending.length > 0 && pending[0]!.time <= slot) {
      event = pending.shift()!;
    } else {
      event = everydayEvent(random, slot);
      const episode = random.chance(BURST_RATE)
        ? failedLoginBurst(random, slot)
        : random.chance(SPRAY_RATE)
          ? passwordSpray(random, slot)
          : [];
      if (episode.length > 0) pending = [...pending, ...episode].sort((a, b) => a.time - b.time);
    }
    // Clamping keeps the stream ordered when queued events fall behind the clock.
    last = Math.max(last, Math.min(event.time, end.getTime() - 1));
    yield toInput(random, `evt-${seed}-${String(index).padStart(7, "0")}`, last, event);
  }
}

function* normalTraffic(
  random: Random,
  seed: number,
  count: number,
  start: number,
  end: number,
): Generator<GeneratedLogInput> {
  const clock = diurnalClock(start, end, count, workdayHourWeight);
  let last = start;
  for (let index = 0; index < count; index++) {
    last = Math.max(last, clock(index + random.next()));
    yield toInput(random, `evt-${seed}-${String(index).padStart(7, "0")}`, last, workdayEvent(random, last));
  }
}

const SERVICE_RANKS = USERS.flatMap((user, rank) => (SERVICE_ACTIONS.has(user) ? [rank] : []));

/** Someone on shift at this hour (a service account outside everyone's shifts), from one of their own devices. */
function workdayEvent(random: Random, time: number): Event {
  const hour = new Date(time).getUTCHours();
  const isOnShift = (rank: number) => {
    const { start, end } = workingHours(rank);
    return hour >= start && hour < end && !SERVICE_ACTIONS.has(USERS[rank]!);
  };
  let rank = pickUserRank(random);
  for (let attempt = 0; attempt < 20 && !isOnShift(rank); attempt++) rank = pickUserRank(random);
  const jobs = SERVICE_ACTIONS.get(USERS[rank]!);
  if (!isOnShift(rank) && jobs === undefined) rank = random.pick(SERVICE_RANKS);
  const user = USERS[rank]!;
  const action = SERVICE_ACTIONS.has(user) ? random.pick(SERVICE_ACTIONS.get(user)!) : pickWorkdayAction(random);
  const status = random.chance(FAILURE_RATES[action]) ? "failed" : "success";
  // Most people use one device; some a second one now and then. Jobs run from one host.
  const device = !SERVICE_ACTIONS.has(user) && rank % 3 === 0 && random.chance(0.1) ? 1 : 0;
  return { time, user, ip: officeIp(rank, device), action, status };
}

function everydayEvent(random: Random, time: number): Event {
  const action = pickAction(random);
  const rank = pickUserRank(random);
  const status = random.chance(FAILURE_RATES[action]) ? "failed" : "success";
  return { time, user: USERS[rank]!, ip: userIp(random, rank), action, status };
}

/** 5-20 failed logins against one user from one address within a few minutes, sometimes ending in success. */
function failedLoginBurst(random: Random, from: number): Event[] {
  const ip = random.chance(0.8) ? attackerIp(random) : `10.0.${random.int(0, 255)}.${random.int(1, 254)}`;
  const user = USERS[pickUserRank(random)]!;
  const source = random.pick(["sshd", "vpn", "web"]);
  const attempts = random.int(5, 20);
  const succeeds = random.chance(0.2);
  let time = from;
  return Array.from({ length: attempts + (succeeds ? 1 : 0) }, (_, i) => {
    time += random.int(1_000, 12_000);
    return { time, user, ip, action: "login", status: i < attempts ? "failed" : "success", source };
  });
}

/** One address trying one password against 10-40 different users. */
function passwordSpray(random: Random, from: number): Event[] {
  const ip = attackerIp(random);
  const source = random.pick(["vpn", "web"]);
  const users = new Set<string>();
  const wanted = random.int(10, 40);
  while (users.size < wanted) users.add(random.pick(USERS));
  let time = from;
  return [...users].map((user) => {
    time += random.int(1_000, 8_000);
    return { time, user, ip, action: "login", status: random.chance(0.97) ? "failed" : "success", source };
  });
}

function toInput(random: Random, logId: string, time: number, event: Event): GeneratedLogInput {
  const details = describeEvent(random, event);
  const input: GeneratedLogInput = {
    log_id: logId,
    timestamp: new Date(time).toISOString(),
    ip: event.ip,
    user: event.user,
    action: event.action,
    status: event.status,
  };
  // Not every service sends every optional field.
  if (!random.chance(0.04)) input.source = details.source;
  if (!random.chance(0.15)) input.message = details.message;
  if (!random.chance(0.1)) input.metadata = details.metadata;
  return input;
}

/**
 * Maps a position in [0, count) to a time in [start, end) so that logs thin
 * out at night and on weekends. Positions must not decrease between calls.
 */
function diurnalClock(
  start: number,
  end: number,
  count: number,
  weightOf: (at: Date) => number,
): (position: number) => number {
  const hours = Math.ceil((end - start) / HOUR_MS);
  const cumulative = [0];
  for (let h = 0; h < hours; h++) {
    const length = Math.min(HOUR_MS, end - start - h * HOUR_MS);
    cumulative.push(cumulative[h]! + weightOf(new Date(start + h * HOUR_MS)) * (length / HOUR_MS));
  }
  const total = cumulative[hours]!;
  // A range that holds only hours of weight 0 is spread evenly instead.
  if (total === 0) return diurnalClock(start, end, count, () => 1);
  let hour = 0;
  return (position) => {
    const target = (position / Math.max(count, 1)) * total;
    while (hour < hours - 1 && cumulative[hour + 1]! <= target) hour++;
    const within = (target - cumulative[hour]!) / (cumulative[hour + 1]! - cumulative[hour]!);
    const length = Math.min(HOUR_MS, end - start - hour * HOUR_MS);
    return Math.min(start + hour * HOUR_MS + Math.floor(within * length), end - 1);
  };
}

/** Normal traffic: nobody before 05:00 UTC, shifts from 06:00, jobs into the evening. */
function workdayHourWeight(at: Date): number {
  const hour = at.getUTCHours();
  const weekend = at.getUTCDay() === 0 || at.getUTCDay() === 6;
  const daily = hour < 6 ? 0 : hour < 8 ? 0.5 : hour < 17 ? 1 : hour < 19 ? 0.5 : hour < 22 ? 0.1 : 0.03;
  return weekend ? daily * 0.25 : daily;
}

function hourWeight(at: Date): number {
  const hour = at.getUTCHours();
  const weekend = at.getUTCDay() === 0 || at.getUTCDay() === 6;
  const daily = hour < 6 ? 0.08 : hour < 8 ? 0.4 : hour < 18 ? 1 : hour < 22 ? 0.4 : 0.15;
  return weekend ? daily * 0.25 : daily;
}
