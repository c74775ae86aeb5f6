import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { makeLog } from "@/lib/records/anomaly/logs.fixture";
import type { DetectableLog } from "@/lib/records/anomaly/finding";
import { ReorderBuffer } from "./reorder-buffer";

function buffer(latenessMs: number, limit = 100) {
  const released: string[] = [];
  const reorder = new ReorderBuffer<DetectableLog>(
    latenessMs,
    limit,
    (log) => void released.push(log.time.toISOString().slice(11, 19)),
  );
  const push = (at: string) => reorder.push(makeLog({ at }), Date.parse(`2025-01-15T${at}Z`));
  return { reorder, released, push };
}

describe("ReorderBuffer", () => {
  it("releases a log once the stream is the allowance past it, in time order", () => {
    const { reorder, released, push } = buffer(60_000);
    for (const at of ["10:00:30", "10:00:00", "10:00:50", "10:01:10"]) assert.ok(push(at));
    assert.deepEqual(released, ["10:00:00"]);
    reorder.releaseAll();
    assert.deepEqual(released, ["10:00:00", "10:00:30", "10:00:50", "10:01:10"]);
  });

  it("refuses a log older than the allowance behind the newest log", () => {
    const { push, released } = buffer(60_000);
    push("10:05:00");
    assert.equal(push("10:03:59"), false);
    assert.equal(push("10:04:00"), true);
    assert.deepEqual(released, ["10:04:00"]);
  });

  it("releases its oldest logs early when more than the limit wait", () => {
    const { push, released } = buffer(3_600_000, 2);
    for (const at of ["10:00:02", "10:00:01", "10:00:03"]) push(at);
    assert.deepEqual(released, ["10:00:01"]);
    assert.equal(push("10:00:00"), false);
  });
});
