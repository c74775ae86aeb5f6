// Ingestion quotas shared by app instances: never more than the limit in a
// window, whatever the interleaving, with about one database write per slice.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RateQuota } from "@/lib/records/auth/rate-quota";
import { COLLECTIONS } from "@/lib/platform/db/collections";
import { setupTestDatabase } from "./support/test-db";

const test = setupTestDatabase("rate_quota");
const MINUTE = 60_000;
const windowStart = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
const at = (seconds: number) => new Date(windowStart.getTime() + seconds * 1000);
const allowedCount = (decisions: { allowed: boolean }[]) => decisions.filter((d) => d.allowed).length;

describe("RateQuota", () => {
  it("allows exactly the limit in a window, then refuses until the next window", async () => {
    const quota = new RateQuota();
    const policy = { limit: 20, windowMs: MINUTE };
    const decisions = [];
    for (let i = 0; i < 25; i++) decisions.push(await quota.consume(test.db, "a", { ...policy, now: at(10) }));
    assert.equal(allowedCount(decisions), 20);
    const refused = decisions[20]!;
    assert.equal(refused.allowed, false);
    assert.equal(!refused.allowed && refused.retryAfterSeconds, 50);
    assert.equal((await quota.consume(test.db, "a", { ...policy, now: at(61) })).allowed, true);
  });

  it("writes once per slice, not once per request", async () => {
    const quota = new RateQuota();
    for (let i = 0; i < 100; i++) await quota.consume(test.db, "b", { limit: 1000, windowMs: MINUTE, now: at(5) });
    const claims = await test.db
      .collection(COLLECTIONS.rateLimitEvents)
      .countDocuments({ key: { $regex: "^quota:b:" } });
    assert.equal(claims, 1);
  });

  it("never lets several instances together past the limit, even when requests race", async () => {
    const instances = [new RateQuota(), new RateQuota(), new RateQuota()];
    const policy = { limit: 30, windowMs: MINUTE, now: at(20) };
    const decisions = await Promise.all(
      Array.from({ length: 90 }, (_, i) => instances[i % 3]!.consume(test.db, "c", policy)),
    );
    const allowed = allowedCount(decisions);
    assert.ok(allowed <= 30, `${allowed} allowed`);
    assert.ok(allowed >= 9, `${allowed} allowed: at least one slice per instance`);
  });

  it("is exact, one write per request, when the limit is below ten", async () => {
    const quota = new RateQuota();
    const decisions = [];
    for (let i = 0; i < 5; i++)
      decisions.push(await quota.consume(test.db, "d", { limit: 3, windowMs: MINUTE, now: at(30) }));
    assert.deepEqual(
      decisions.map((d) => d.allowed),
      [true, true, true, false, false],
    );
  });
});
