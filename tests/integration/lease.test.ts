// Leases on the real server: of takers racing for a lease exactly one wins,
// a held term turns others away until it is released or expires, and a holder
// whose term expired and was taken over learns that it lost it.
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, it } from "node:test";
import { COLLECTIONS } from "@/lib/platform/db/collections";
import { LeaseLostError, tryLease, withLease } from "@/lib/platform/db/lease";
import { setupTestDatabase } from "./support/test-db";

const test = setupTestDatabase("lease");
const TTL = { ttlMs: 30_000 };

describe("leases", () => {
  it("gives a lease to exactly one of 8 racing takers, and to another once it is released", async () => {
    const leases = await Promise.all(Array.from({ length: 8 }, () => tryLease(test.db, "race", TTL)));
    const won = leases.filter((lease) => lease !== null);
    assert.equal(won.length, 1);
    assert.equal(await tryLease(test.db, "race", TTL), null, "held");
    assert.ok(await tryLease(test.db, "other", TTL), "another lease's name is free");
    await won[0]!.release();
    const next = await tryLease(test.db, "race", TTL);
    assert.ok(next, "free once released");
    await next.release();
    assert.ok(
      (await test.db.collection(COLLECTIONS.leases).countDocuments({ name: "race" })) <= 2,
      "old terms are deleted",
    );
  });

  it("lets a taker in once a term expires, and the old holder then finds it lost", async () => {
    const old = await tryLease(test.db, "expiry", { ttlMs: 600 });
    assert.ok(old);
    old.assertHeld();
    await sleep(400);
    old.assertHeld(); // renewed in the background meanwhile
    // The holder stalls (a long pause of its process): nothing renews the term.
    for (const end = Date.now() + 700; Date.now() < end;);
    assert.throws(() => old.assertHeld(), LeaseLostError);
    const taker = await tryLease(test.db, "expiry", TTL);
    assert.ok(taker, "an expired term can be taken over");
    await old.renew();
    assert.throws(() => old.assertHeld(), LeaseLostError, "renewing after the takeover does not bring it back");
    await old.release();
    assert.equal(await tryLease(test.db, "expiry", TTL), null, "the old holder's release leaves the new term alone");
    await taker.release();
  });

  it("runs one holder's work at a time; the others wait for it", async () => {
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 4 }, () =>
        withLease(test.db, "queue", { ...TTL, waitMs: 20_000, pollMs: 20 }, async () => {
          most = Math.max(most, ++inside);
          await sleep(50);
          inside--;
        }),
      ),
    );
    assert.equal(most, 1);
  });
});
