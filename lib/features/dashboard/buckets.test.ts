import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createLocalClock } from "@/lib/foundation/util/local-time";
import { bucketSeries, hoursOfDay, type SlotCounts } from "./buckets";
import { dashboardWindow, MINUTE_MS } from "./window";

const QUARTER = 15 * MINUTE_MS;
const slot = (iso: string, total: number, failed: number): SlotCounts => ({ start: Date.parse(iso), total, failed });

describe("hoursOfDay", () => {
  it("puts each quarter in its local hour, half-hour offsets included", () => {
    // 03:15 and 03:30 UTC are 08:45 and 09:00 in Asia/Kolkata (+5:30).
    const slots = [
      slot("2026-04-01T03:15:00Z", 4, 1),
      slot("2026-04-01T03:30:00Z", 6, 2),
      slot("2026-04-01T23:45:00Z", 1, 1),
    ];
    const kolkata = hoursOfDay(slots, createLocalClock("Asia/Kolkata")).filter(
      (hour) => hour.success + hour.failed > 0,
    );
    assert.deepEqual(kolkata, [
      { hour: 5, success: 0, failed: 1 },
      { hour: 8, success: 3, failed: 1 },
      { hour: 9, success: 4, failed: 2 },
    ]);
    const utc = hoursOfDay(slots, createLocalClock("UTC")).filter((hour) => hour.success + hour.failed > 0);
    assert.deepEqual(utc, [
      { hour: 3, success: 7, failed: 3 },
      { hour: 23, success: 0, failed: 1 },
    ]);
  });
});

describe("bucketSeries", () => {
  it("lists every bucket of the window, empty ones included, in local hours", () => {
    const window = dashboardWindow(new Date("2026-04-01T03:00:00Z"), new Date("2026-04-01T05:00:00Z"));
    const series = bucketSeries(
      [slot("2026-04-01T03:15:00Z", 4, 1), slot("2026-04-01T04:45:00Z", 2, 0)],
      window,
      createLocalClock("Asia/Kolkata"),
    );
    assert.equal(window.bucket, "15m");
    assert.equal(series.length, 8);
    assert.deepEqual(
      series.map((bucket) => bucket.label),
      ["08:30", "08:45", "09:00", "09:15", "09:30", "09:45", "10:00", "10:15"],
    );
    assert.deepEqual(
      series.map((bucket) => [bucket.success, bucket.failed]),
      [
        [0, 0],
        [3, 1],
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
        [2, 0],
      ],
    );
  });

  it("cuts days at local midnight (Asia/Kolkata: 18:30 UTC)", () => {
    const window = dashboardWindow(new Date("2026-04-01T18:30:00Z"), new Date("2026-04-16T18:30:00Z"));
    assert.equal(window.bucket, "1d");
    const slots = [slot("2026-04-02T18:15:00Z", 5, 1), slot("2026-04-02T18:30:00Z", 7, 3)];
    const series = bucketSeries(slots, window, createLocalClock("Asia/Kolkata"));
    assert.equal(series.length, 15);
    assert.deepEqual(
      series.slice(0, 3).map((bucket) => [bucket.label, bucket.success, bucket.failed]),
      [
        ["2026-04-02", 4, 1],
        ["2026-04-03", 4, 3],
        ["2026-04-04", 0, 0],
      ],
    );
    assert.equal(series[1]!.start, "2026-04-02T18:30:00.000Z");
  });

  it("keeps the repeated hour of a DST change as two hourly buckets", () => {
    // Europe/Paris falls back at 01:00 UTC on 2026-10-25: local 02:00-03:00 happens twice.
    const window = dashboardWindow(new Date("2026-10-24T23:00:00Z"), new Date("2026-10-25T03:00:00Z"));
    const series = bucketSeries([], window, createLocalClock("Europe/Paris"));
    assert.deepEqual(
      series.map((bucket) => bucket.label),
      ["10-25 01:00", "10-25 02:00", "10-25 02:00", "10-25 03:00"],
    );
    assert.ok(
      series.every(
        (bucket, index) =>
          index === 0 || Date.parse(bucket.start) - Date.parse(series[index - 1]!.start) === 4 * QUARTER,
      ),
    );
  });

  it("buckets raw minutes of a 15-minute window", () => {
    const window = dashboardWindow(new Date("2026-04-01T09:00:30Z"), new Date("2026-04-01T09:15:30Z"));
    const series = bucketSeries(
      [slot("2026-04-01T09:00:00Z", 2, 1), slot("2026-04-01T09:15:00Z", 1, 0)],
      window,
      createLocalClock("Asia/Kathmandu"),
    );
    assert.equal(series.length, 16);
    assert.deepEqual(
      [series[0]!.label, series[0]!.failed, series[15]!.label, series[15]!.success],
      ["14:45", 1, "15:00", 1],
    );
  });
});
