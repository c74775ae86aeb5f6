import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  abandonedWork,
  assertNotBacklogged,
  DatabaseBackloggedError,
  DatabaseBudget,
  DatabaseTooSlowError,
  withinBudget,
} from "./time-budget";

const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));
const failAfter = (ms: number) =>
  new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error("late failure")), ms));

describe("DatabaseBudget", () => {
  it("gives the work's result while the request's waits stay under the limit", async () => {
    const budget = new DatabaseBudget(200);
    assert.equal(await budget.spend(after(20, "first")), "first");
    assert.equal(await budget.spend(after(20, "second")), "second");
  });

  it("refuses once the waits of one request add up to the limit, however they are split", async () => {
    const budget = new DatabaseBudget(150);
    await budget.spend(after(100, "authenticated"));
    const started = performance.now();
    await assert.rejects(
      budget.spend(after(500, "stored")),
      (error) => error instanceof DatabaseTooSlowError && error.limitMs === 150,
    );
    assert.ok(performance.now() - started < 120, "the second wait got only what was left");
    await assert.rejects(budget.spend(after(1, "anything")), DatabaseTooSlowError);
  });

  it("leaves no unhandled rejection when the abandoned work fails later", async () => {
    const unhandled: unknown[] = [];
    const note = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", note);
    try {
      await assert.rejects(new DatabaseBudget(10).spend(failAfter(40)), DatabaseTooSlowError);
      await after(80, null);
      assert.deepEqual(unhandled, []);
    } finally {
      process.off("unhandledRejection", note);
    }
  });

  it("passes the work through unchanged without a budget", async () => {
    assert.equal(await withinBudget(undefined, after(30, "script")), "script");
  });

  it("counts the work left behind until it ends, and refuses new requests while too much of it waits", async () => {
    const before = abandonedWork();
    const releases: (() => void)[] = [];
    const pending = () => new Promise<void>((resolve) => releases.push(resolve));
    for (let i = 0; i < 2; i++) await assert.rejects(new DatabaseBudget(10).spend(pending()), DatabaseTooSlowError);
    const spent = new DatabaseBudget(10);
    await assert.rejects(spent.spend(pending()), DatabaseTooSlowError);
    await assert.rejects(spent.spend(failAfter(20)), DatabaseTooSlowError);
    assert.equal(abandonedWork(), before + 4);
    assert.throws(
      () => assertNotBacklogged(before + 4),
      (error) => error instanceof DatabaseBackloggedError && error.abandoned === before + 4,
    );
    assertNotBacklogged(before + 5);

    await after(40, null);
    assert.equal(abandonedWork(), before + 3, "the failed one is no longer counted");
    for (const release of releases) release();
    await after(0, null);
    assert.equal(abandonedWork(), before);
    assertNotBacklogged(before + 1);
  });
});
