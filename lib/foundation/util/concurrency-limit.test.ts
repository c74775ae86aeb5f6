import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BusyError, ConcurrencyLimit } from "./concurrency-limit";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A task that runs until `finish` is called, noting when it started. */
function makeGate() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { finish, task: () => done };
}

describe("ConcurrencyLimit", () => {
  it("never runs more than its concurrency at once, and runs every task", async () => {
    const limit = new ConcurrencyLimit({ concurrency: 3, maxQueue: 100, maxWaitMs: 10_000, name: "tests" });
    let running = 0;
    let most = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        limit.run(async () => {
          most = Math.max(most, ++running);
          await sleep(5);
          running--;
          return index;
        }),
      ),
    );
    assert.deepEqual(
      results,
      Array.from({ length: 20 }, (_, index) => index),
    );
    assert.equal(most, 3);
    assert.equal(limit.peak, 3);
    assert.equal(limit.running, 0);
  });

  it("starts waiting tasks in the order they came", async () => {
    const limit = new ConcurrencyLimit({ concurrency: 1, maxQueue: 10, maxWaitMs: 10_000, name: "tests" });
    const first = makeGate();
    const started: number[] = [];
    const runs = [limit.run(first.task), ...[1, 2, 3].map((index) => limit.run(async () => void started.push(index)))];
    assert.equal(limit.waiting, 3);
    first.finish();
    await Promise.all(runs);
    assert.deepEqual(started, [1, 2, 3]);
  });

  it("refuses at once with a BusyError when the queue is full, and frees the slot of a task that failed", async () => {
    const limit = new ConcurrencyLimit({ concurrency: 1, maxQueue: 1, maxWaitMs: 10_000, name: "password checks" });
    const gate = makeGate();
    const running = limit.run(gate.task);
    const queued = limit.run(async () => {
      throw new Error("broken");
    });
    await assert.rejects(
      limit.run(async () => "never"),
      (error: unknown) => {
        assert.ok(error instanceof BusyError);
        assert.equal(error.retryAfterSeconds, 1);
        assert.match(error.message, /busy with password checks/);
        return true;
      },
    );
    gate.finish();
    await running;
    await assert.rejects(queued, /broken/);
    assert.equal(await limit.run(async () => "after"), "after");
    assert.equal(limit.running, 0);
  });

  it("refuses a task that waited longer than allowed, and leaves the queue to the others", async () => {
    const limit = new ConcurrencyLimit({ concurrency: 1, maxQueue: 5, maxWaitMs: 20, name: "tests" });
    const gate = makeGate();
    const running = limit.run(gate.task);
    await assert.rejects(
      limit.run(async () => "late"),
      BusyError,
    );
    assert.equal(limit.waiting, 0);
    const next = limit.run(async () => "next");
    gate.finish();
    await running;
    assert.equal(await next, "next");
  });

  it("holds a stream's slot from its first read until it is closed, and refuses with the Retry-After it was given", async () => {
    const limit = new ConcurrencyLimit({
      concurrency: 1,
      maxQueue: 0,
      maxWaitMs: 10_000,
      name: "exports",
      retryAfterSeconds: 10,
    });
    async function* numbers() {
      for (let n = 0; ; n++) yield n;
    }
    const first = limit.runStream(numbers);
    assert.equal(limit.running, 0, "nothing is taken before the first read");
    assert.equal((await first.next()).value, 0);
    await assert.rejects(limit.runStream(numbers).next(), (error: unknown) => {
      assert.ok(error instanceof BusyError);
      assert.equal(error.retryAfterSeconds, 10);
      assert.match(error.message, /busy with exports; retry in 10 seconds/);
      return true;
    });
    await first.return(undefined);
    assert.equal(limit.running, 0);
    assert.equal((await limit.runStream(numbers).next()).value, 0);
  });
});
