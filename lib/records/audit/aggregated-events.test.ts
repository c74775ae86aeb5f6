import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { AuditAggregator, boundedText, MANY_ACTORS, type AggregatedEvent } from "./aggregated-events";
import type { SecurityEvent } from "./security-events";

function makeEvent(changes: Partial<AggregatedEvent> = {}): AggregatedEvent {
  return {
    action: "logs_searched",
    status: "success",
    user: "ana@example.com",
    ip: "10.0.0.1",
    message: "searched",
    noun: "searches",
    ...changes,
  };
}

function collecting(options: { windowMs?: number; maxWindows?: number } = {}) {
  const written: SecurityEvent[] = [];
  const aggregator = new AuditAggregator({ write: async (event) => void written.push(event), ...options });
  return { aggregator, written };
}

describe("AuditAggregator", () => {
  it("writes the first event of an actor and kind at once and counts the rest of the minute in one entry", async () => {
    const { aggregator, written } = collecting();
    for (let index = 0; index < 50; index++)
      aggregator.record(makeEvent({ subject: { name: "filter", value: `user=u${index % 5}` }, amounts: { rows: 2 } }));
    await sleep(0);
    assert.equal(written.length, 1);
    assert.deepEqual(written[0]!.metadata, { count: 1, window_seconds: 60, rows: 2, filter: "user=u0" });
    await aggregator.flush();
    assert.equal(written.length, 2);
    const summary = written[1]!.metadata!;
    assert.deepEqual(
      [summary.count, summary.rows, summary.filter, summary.filter_2, summary.filter_3, summary.other_filter_count],
      [49, 98, "user=u1", "user=u2", "user=u3", 19],
    );
    assert.match(written[1]!.message!, /^49 more searches from \S+ to \S+, in the minute after the one recorded at /);
  });

  it("keeps actors, kinds and labels apart", async () => {
    const { aggregator, written } = collecting();
    aggregator.record(makeEvent());
    aggregator.record(makeEvent({ user: "bo@example.com" }));
    aggregator.record(makeEvent({ ip: "10.0.0.2" }));
    aggregator.record(makeEvent({ action: "log_viewed" }));
    aggregator.record(makeEvent({ labels: { via: "api" } }));
    aggregator.record(makeEvent({ labels: { via: "api" } }));
    await aggregator.flush();
    assert.deepEqual(
      written.map((event) => event.metadata!.count),
      [1, 1, 1, 1, 1, 1],
    );
  });

  it("closes a window when its minute ends, so the next event is written at once again", async () => {
    const { aggregator, written } = collecting({ windowMs: 30 });
    aggregator.record(makeEvent());
    aggregator.record(makeEvent());
    await sleep(60);
    assert.deepEqual(
      written.map((event) => event.metadata!.count),
      [1, 1],
    );
    aggregator.record(makeEvent());
    await aggregator.flush();
    assert.equal(written.length, 3);
  });

  it("puts actors beyond the open windows' limit into one shared window per kind", async () => {
    const { aggregator, written } = collecting({ maxWindows: 2 });
    for (let index = 0; index < 10; index++) aggregator.record(makeEvent({ ip: `10.0.0.${index}` }));
    await aggregator.flush();
    assert.deepEqual(
      written.map((event) => [event.user, event.metadata!.count]),
      [
        ["ana@example.com", 1],
        ["ana@example.com", 1],
        [MANY_ACTORS, 1],
        [MANY_ACTORS, 7],
      ],
    );
  });

  it("never throws or waits for a failing write, and reports it", async () => {
    const errors: unknown[] = [];
    const aggregator = new AuditAggregator({
      write: () => Promise.reject(new Error("down")),
      onError: (error) => errors.push(error),
    });
    assert.doesNotThrow(() => aggregator.record(makeEvent()));
    await aggregator.flush();
    assert.equal(errors.length, 1);
  });
});

describe("boundedText", () => {
  it("escapes control characters, replaces lone surrogates and cuts without splitting a pair", () => {
    assert.equal(boundedText("a\u0000b\nc\u009b", 100), "a\\u0000b\\u000ac\\u009b");
    assert.equal(boundedText("x\uD800y", 100), "x\uFFFDy");
    assert.equal(boundedText("abcdef", 4), "abc…");
    const cut = boundedText("ab😀cd", 4);
    assert.equal(cut, "ab…");
    assert.ok(cut.length <= 4);
  });
});
