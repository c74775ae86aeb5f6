// Rate limits shared by every app instance, kept in the database. Each event
// is a document of its own ({ _id, key, at }) and a limit counts one key's
// events in a time window. Inserts are never lost, whereas a shared counter
// updated with $inc loses increments on the embedded server (its updates are
// read-modify-write), which would let an attacker through.
import { randomBytes } from "node:crypto";
import type { Db } from "mongodb";
import { COLLECTIONS } from "@/lib/platform/db/collections";

export type RateLimitEvent = { _id: string; key: string; at: Date };

export type LoginAttempt = { email: string; ip?: string | null };
/** `maxFailures` per account and per IP within `windowMs`; `globalMaxFailures`, when given, across every account within a minute. */
export type LoginPolicy = { maxFailures: number; windowMs: number; globalMaxFailures?: number; now?: Date };
/** Which count refused an attempt: its account's, its IP's or every account's together. */
export type LoginLimit = "account" | "ip" | "global";
export type LoginCheck =
  { allowed: true; delayMs: number } | { allowed: false; retryAfterSeconds: number; limit: LoginLimit };

/** Which events pruneEvents may delete: one key's, or those of every key starting with a prefix. */
export type PruneScope = { key: string } | { keyPrefix: string };

const LOGIN_PREFIX = "login:";
const GLOBAL_KEY = `${LOGIN_PREFIX}global`;
const GLOBAL_WINDOW_MS = 60_000;
const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 2_000;
const PRUNE_INTERVAL_MS = 60_000;

function events(db: Db) {
  return db.collection<RateLimitEvent>(COLLECTIONS.rateLimitEvents);
}

export async function recordEvent(db: Db, key: string, at: Date = new Date()): Promise<void> {
  await events(db).insertOne({ _id: randomBytes(12).toString("hex"), key, at });
}

export async function countEvents(db: Db, key: string, since: Date): Promise<number> {
  return events(db).countDocuments({ key, at: { $gte: since } });
}

export async function clearEvents(db: Db, key: string): Promise<void> {
  await events(db).deleteMany({ key });
}

/** Deletes events older than `olderThan` (of every key unless a scope is given); returns how many. */
export async function pruneEvents(db: Db, olderThan: Date, scope?: PruneScope): Promise<number> {
  const keyFilter = !scope
    ? {}
    : "key" in scope
      ? { key: scope.key }
      : { key: { $regex: `^${escapeRegex(scope.keyPrefix)}` } };
  const { deletedCount } = await events(db).deleteMany({ ...keyFilter, at: { $lt: olderThan } });
  return deletedCount;
}

/**
 * Whether a login may be tried now: refused while the account, the IP or
 * (with `globalMaxFailures`) every account together has that many failures in
 * its window; otherwise allowed after `delayMs` (0 after one failure of the
 * account or IP, then 250 ms doubling up to 2 s) to slow guessing.
 */
export async function checkLogin(db: Db, attempt: LoginAttempt, policy: LoginPolicy): Promise<LoginCheck> {
  const { windowMs, now = new Date() } = policy;
  await pruneOccasionally(db, new Date(now.getTime() - Math.max(windowMs, GLOBAL_WINDOW_MS)), {
    keyPrefix: LOGIN_PREFIX,
  });
  const limits = loginLimits(attempt, policy);
  const counts = await Promise.all(
    limits.map(({ key, windowMs }) => countEvents(db, key, new Date(now.getTime() - windowMs))),
  );
  const refused = limits.flatMap((limit, index) =>
    counts[index]! >= limit.maxFailures ? [{ ...limit, over: counts[index]! - limit.maxFailures }] : [],
  );
  if (refused.length === 0) {
    // Every account's failures together do not slow anyone: the delay is for guessing at one account or from one IP.
    const ownFailures = counts.filter((_, index) => limits[index]!.limit !== "global");
    return { allowed: true, delayMs: loginDelayMs(Math.max(...ownFailures)) };
  }
  const waits = await Promise.all(
    refused.map(({ key, over, windowMs }) => secondsUntilReleased(db, key, over, { windowMs, now })),
  );
  const longest = waits.indexOf(Math.max(...waits));
  return { allowed: false, retryAfterSeconds: waits[longest]!, limit: refused[longest]!.limit };
}

/**
 * Records a failure for the account, the IP (when known) and every account
 * together. Returns the ids of the events it recorded, so that an attempt
 * that turns out to succeed, or is never tried, can be taken back.
 */
export async function recordLoginFailure(db: Db, attempt: LoginAttempt, at: Date = new Date()): Promise<string[]> {
  const recorded = loginKeys(attempt).map(({ key }) => ({ _id: randomBytes(12).toString("hex"), key, at }));
  await events(db).insertMany(recorded);
  return recorded.map((event) => event._id);
}

export async function forgetEvents(db: Db, ids: string[]): Promise<void> {
  // One delete per id (an attempt records three at most): the embedded server finds a lone _id by index, an $in by
  // reading every event.
  await Promise.all(ids.map((_id) => events(db).deleteOne({ _id })));
}

/** Forgets the account's failures; the IP's stay, so one good account does not unlock guessing at others. */
export async function recordLoginSuccess(db: Db, { email }: Pick<LoginAttempt, "email">): Promise<void> {
  await clearEvents(db, loginKeys({ email })[0]!.key);
}

function loginKeys({ email, ip }: LoginAttempt): { limit: LoginLimit; key: string }[] {
  return [
    { limit: "account", key: `${LOGIN_PREFIX}user:${email.trim().toLowerCase()}` },
    ...(ip ? [{ limit: "ip" as const, key: `${LOGIN_PREFIX}ip:${ip}` }] : []),
    { limit: "global", key: GLOBAL_KEY },
  ];
}

type CountedLimit = { limit: LoginLimit; key: string; maxFailures: number; windowMs: number };

function loginLimits(attempt: LoginAttempt, { maxFailures, windowMs, globalMaxFailures }: LoginPolicy): CountedLimit[] {
  return loginKeys(attempt).flatMap(({ limit, key }): CountedLimit[] => {
    if (limit !== "global") return [{ limit, key, maxFailures, windowMs }];
    return globalMaxFailures === undefined
      ? []
      : [{ limit, key, maxFailures: globalMaxFailures, windowMs: GLOBAL_WINDOW_MS }];
  });
}

function loginDelayMs(failures: number): number {
  return failures <= 1 ? 0 : Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (failures - 2));
}

/**
 * Seconds (at least 1) until the key has one event fewer than now counted,
 * i.e. until its event at `index` in time order (0 = oldest) leaves the
 * window; counting includes an event exactly at the window's start.
 */
async function secondsUntilReleased(
  db: Db,
  key: string,
  index: number,
  { windowMs, now }: { windowMs: number; now: Date },
): Promise<number> {
  const since = new Date(now.getTime() - windowMs);
  const [event] = await events(db)
    .find({ key, at: { $gte: since } })
    .sort({ at: 1 })
    .skip(index)
    .limit(1)
    .toArray();
  const releasedAt = (event?.at ?? since).getTime() + windowMs + 1;
  return Math.max(1, Math.ceil((releasedAt - now.getTime()) / 1000));
}

// Every count scans the whole collection on the embedded server, so old events
// are deleted now and then: at most once a minute per scope and process.
const lastPrunedAt = new Map<string, number>();

export async function pruneOccasionally(db: Db, olderThan: Date, scope: PruneScope): Promise<void> {
  const id = `${db.databaseName}\n${"key" in scope ? `=${scope.key}` : `^${scope.keyPrefix}`}`;
  const clock = Date.now();
  if (clock - (lastPrunedAt.get(id) ?? -Infinity) < PRUNE_INTERVAL_MS) return;
  lastPrunedAt.set(id, clock);
  await pruneEvents(db, olderThan, scope);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
