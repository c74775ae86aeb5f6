import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { packedJsonText } from "@/lib/platform/db/packed-json";
import { summariesOf } from "@/lib/records/logs/summaries";
import type { LogSummary } from "@/lib/records/logs/summaries";
import { packCarried } from "./detection-state";

const failure = (index: number, logId: string): LogSummary => ({
  log_id: logId,
  sequence: index + 1,
  time: new Date(Date.UTC(2026, 11, 7, 10) + index),
  ip: `198.51.100.${index % 250}`,
  user: `user${index % 40}`,
  action: "login",
  status: "failed",
});

describe("packCarried", () => {
  it("keeps every carried log and its counted types while they fit", () => {
    const carried = Array.from({ length: 1_000 }, (_, index) => failure(index, `log-${index}`));
    const counted = new Map([["log-5", ["failure_burst"] as const]]);
    const packed = packCarried(carried, counted);
    assert.equal(packed.kept, 1_000);
    assert.deepEqual(
      summariesOf(packed.logs).map((log) => log.log_id),
      carried.map((log) => log.log_id),
    );
    assert.deepEqual(JSON.parse(packedJsonText(packed.counted)), [["log-5", ["failure_burst"]]]);
  });

  it("keeps the newest within the byte bound when log_ids are long and random", () => {
    const carried = Array.from({ length: 40_000 }, (_, index) => failure(index, randomBytes(64).toString("hex")));
    const counted = new Map(carried.map((log) => [log.log_id, ["failure_burst"] as const]));
    const maxBytes = 2 * 1024 * 1024;
    const packed = packCarried(carried, counted, maxBytes);
    assert.ok(packed.kept > 5_000 && packed.kept < 40_000, `kept ${packed.kept}`);
    assert.ok(packed.logs.buffer.length + packed.counted.buffer.length <= maxBytes);
    const kept = summariesOf(packed.logs).map((log) => log.log_id);
    assert.deepEqual(
      kept,
      carried.slice(-packed.kept).map((log) => log.log_id),
      "the newest are kept, in order",
    );
    const countedIds = (JSON.parse(packedJsonText(packed.counted)) as [string, string[]][]).map(([id]) => id);
    assert.deepEqual(countedIds, kept, "counted types only for the logs kept");
  });
});
