import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bucketFor, dashboardWindow, DAY_MS, HOUR_MS, MINUTE_MS } from "./window";

const at = (iso: string) => new Date(iso);

describe("dashboardWindow", () => {
  it("reads raw logs by the minute over the exact window for ranges under an hour", () => {
    const window = dashboardWindow(at("2026-04-01T09:07:30Z"), at("2026-04-01T09:22:30Z"));
    assert.equal(window.source, "logs");
    assert.equal(window.bucket, "1m");
    assert.deepEqual(
      [window.from.toISOString(), window.to.toISOString()],
      ["2026-04-01T09:07:30.000Z", "2026-04-01T09:22:30.000Z"],
    );
    assert.deepEqual(
      [window.previous.from.toISOString(), window.previous.to.toISOString()],
      ["2026-04-01T08:52:30.000Z", "2026-04-01T09:07:30.000Z"],
    );
  });

  it("snaps an hour or more outward to whole quarters, with a previous period of the snapped length", () => {
    const window = dashboardWindow(at("2026-04-01T09:07:30Z"), at("2026-04-02T09:07:30Z"));
    assert.equal(window.source, "rollups");
    assert.equal(window.bucket, "1h");
    assert.deepEqual(
      [window.from.toISOString(), window.to.toISOString()],
      ["2026-04-01T09:00:00.000Z", "2026-04-02T09:15:00.000Z"],
    );
    assert.deepEqual(
      [window.previous.from.toISOString(), window.previous.to.toISOString()],
      ["2026-03-31T08:45:00.000Z", "2026-04-01T09:00:00.000Z"],
    );
  });

  it("chooses 15-minute, hourly, 6-hour and daily buckets for the 1h, 24h, 7d and 30d presets", () => {
    assert.deepEqual([15 * MINUTE_MS, HOUR_MS, 24 * HOUR_MS, 7 * DAY_MS, 30 * DAY_MS].map(bucketFor), [
      "1m",
      "15m",
      "1h",
      "6h",
      "1d",
    ]);
  });
});
