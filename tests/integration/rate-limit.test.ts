// Rate limits against the real server, where updates are not atomic: every
// event is its own insert, so concurrent failures are all counted.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { before, describe, it } from "node:test";
import {
  checkLogin,
  countEvents,
  pruneEvents,
  recordEvent,
  recordLoginFailure,
  recordLoginSuccess,
} from "@/lib/records/auth/rate-limit";
import { ensureIndexes } from "@/lib/platform/db/indexes";
import { setupTestDatabase } from "./support/test-db";

const test = setupTestDatabase("rate_limit");

const MINUTE = 60_000;
const POLICY = { maxFailures: 5, windowMs: 15 * MINUTE };

/** A fresh account and IP per test, so tests never see each other's events. */
function makeAttempt() {
  const id = randomBytes(4).toString("hex");
  return { email: `user-${id}@example.com`, ip: `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${randomBytes(1)[0]}` };
}

function secondsLater(base: Date, seconds: number): Date {
  return new Date(base.getTime() + seconds * 1000);
}

async function failTimes(attempt: { email: string; ip?: string }, count: number, at: Date): Promise<void> {
  for (let index = 0; index < count; index++) await recordLoginFailure(test.db, attempt, at);
}

describe("login rate limit", () => {
  before(async () => {
    await ensureIndexes(test.db);
  });

  it("slows repeated failures: no delay after one, then 250 ms doubling, capped at 2 s", async () => {
    const attempt = makeAttempt();
    const now = new Date();
    const delays = [];
    for (let failures = 0; failures < 8; failures++) {
      const check = await checkLogin(test.db, attempt, { maxFailures: 100, windowMs: 15 * MINUTE, now });
      assert.ok(check.allowed);
      delays.push(check.delayMs);
      await recordLoginFailure(test.db, attempt, now);
    }
    assert.deepEqual(delays, [0, 0, 250, 500, 1000, 2000, 2000, 2000]);
  });

  it("refuses an account after 5 failures until the oldest leaves the 15-minute window", async () => {
    const attempt = makeAttempt();
    const start = new Date();
    await failTimes({ email: attempt.email }, 1, start);
    await failTimes({ email: attempt.email }, 3, secondsLater(start, 60));
    const now = secondsLater(start, 120);
    assert.equal((await checkLogin(test.db, attempt, { ...POLICY, now })).allowed, true);

    await recordLoginFailure(test.db, { email: attempt.email.toUpperCase() }, now);
    assert.deepEqual(await checkLogin(test.db, { email: attempt.email }, { ...POLICY, now }), {
      allowed: false,
      retryAfterSeconds: 15 * 60 - 120 + 1,
      limit: "account",
    });
    // A different IP does not help: the account itself is locked.
    assert.equal((await checkLogin(test.db, { ...attempt, ip: "192.0.2.1" }, { ...POLICY, now })).allowed, false);

    const afterOldestLeft = secondsLater(start, 15 * 60 + 1);
    assert.equal((await checkLogin(test.db, attempt, { ...POLICY, now: afterOldestLeft })).allowed, true);
  });

  it("refuses an IP after 5 failures across different accounts, for every account", async () => {
    const { ip } = makeAttempt();
    const now = new Date();
    for (let index = 0; index < 5; index++) await recordLoginFailure(test.db, { ...makeAttempt(), ip }, now);
    const fresh = makeAttempt();
    const refused = await checkLogin(test.db, { email: fresh.email, ip }, { ...POLICY, now });
    assert.deepEqual(refused, { allowed: false, retryAfterSeconds: 15 * 60 + 1, limit: "ip" });
    assert.equal((await checkLogin(test.db, fresh, { ...POLICY, now })).allowed, true);
    const later = new Date(now.getTime() + POLICY.windowMs + 1);
    assert.equal((await checkLogin(test.db, { email: fresh.email, ip }, { ...POLICY, now: later })).allowed, true);
  });

  it("a success clears the account's failures but not the IP's", async () => {
    const attempt = makeAttempt();
    const now = new Date();
    await failTimes(attempt, 4, now);
    await recordLoginSuccess(test.db, { email: attempt.email });
    const since = new Date(now.getTime() - POLICY.windowMs);
    assert.equal(await countEvents(test.db, `login:user:${attempt.email}`, since), 0);
    assert.equal(await countEvents(test.db, `login:ip:${attempt.ip}`, since), 4);
    await recordLoginFailure(test.db, { ...makeAttempt(), ip: attempt.ip }, now);
    assert.equal((await checkLogin(test.db, attempt, { ...POLICY, now })).allowed, false);
  });

  it("counts 20 concurrent failures for one account and IP, none lost, and refuses the 21st attempt", async () => {
    const attempt = makeAttempt();
    const now = new Date();
    await Promise.all(Array.from({ length: 20 }, () => recordLoginFailure(test.db, attempt)));
    const since = new Date(now.getTime() - POLICY.windowMs);
    assert.equal(await countEvents(test.db, `login:user:${attempt.email}`, since), 20);
    assert.equal(await countEvents(test.db, `login:ip:${attempt.ip}`, since), 20);
    const check = await checkLogin(test.db, attempt, { maxFailures: 20, windowMs: POLICY.windowMs });
    assert.equal(check.allowed, false);
  });
});

describe("pruneEvents", () => {
  it("deletes only events older than the given time, within the given key or prefix", async () => {
    const prefix = `prune-${randomBytes(4).toString("hex")}:`;
    const old = new Date(Date.now() - 10 * MINUTE);
    const recent = new Date();
    for (const key of [`${prefix}a`, `${prefix}b`]) {
      await recordEvent(test.db, key, old);
      await recordEvent(test.db, key, recent);
    }
    await recordEvent(test.db, "other:c", old);
    const cutoff = new Date(Date.now() - MINUTE);
    assert.equal(await pruneEvents(test.db, cutoff, { key: `${prefix}a` }), 1);
    assert.equal(await pruneEvents(test.db, cutoff, { keyPrefix: prefix }), 1);
    assert.equal(await countEvents(test.db, `${prefix}a`, old), 1);
    assert.equal(await countEvents(test.db, `${prefix}b`, old), 1);
    assert.equal(await countEvents(test.db, "other:c", old), 1);
    assert.ok((await pruneEvents(test.db, cutoff)) >= 1);
    assert.equal(await countEvents(test.db, "other:c", old), 0);
  });
});
