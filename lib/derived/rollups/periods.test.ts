import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DAY_MS,
  HOUR_MS,
  identifiedPeriodsOfQuarter,
  periodId,
  periodsCovering,
  periodsOfQuarter,
  QUARTER_MS,
  quarterOf,
} from "./periods";

const at = (iso: string) => Date.parse(iso);
const ids = (from: string, to: string) => periodsCovering(at(from), at(to)).map(periodId);

describe("periodsCovering", () => {
  it("names periods by their UTC start", () => {
    assert.deepEqual(ids("2025-01-06T00:00:00Z", "2025-01-07T14:00:00Z").slice(0, 2), [
      "d:2025-01-06",
      "h:2025-01-07T00",
    ]);
    assert.deepEqual(ids("2025-01-06T13:45:00Z", "2025-01-06T14:00:00Z"), ["q:2025-01-06T13:45"]);
  });

  it("covers one hour on the hour with one hour document, and off the hour with quarters and an hour", () => {
    assert.deepEqual(ids("2025-01-06T13:00:00Z", "2025-01-06T14:00:00Z"), ["h:2025-01-06T13"]);
    assert.deepEqual(ids("2025-01-06T13:30:00Z", "2025-01-06T14:30:00Z"), [
      "q:2025-01-06T13:30",
      "q:2025-01-06T13:45",
      "q:2025-01-06T14:00",
      "q:2025-01-06T14:15",
    ]);
  });

  it("covers 24 hours from mid-hour with quarters, hours and quarters, at UTC midnight with one day", () => {
    assert.deepEqual(ids("2025-01-06T00:00:00Z", "2025-01-07T00:00:00Z"), ["d:2025-01-06"]);
    const fromMidHour = ids("2025-01-06T09:45:00Z", "2025-01-07T09:45:00Z");
    assert.deepEqual(fromMidHour.slice(0, 3), ["q:2025-01-06T09:45", "h:2025-01-06T10", "h:2025-01-06T11"]);
    assert.deepEqual(fromMidHour.slice(-4), [
      "h:2025-01-07T08",
      "q:2025-01-07T09:00",
      "q:2025-01-07T09:15",
      "q:2025-01-07T09:30",
    ]);
    assert.equal(fromMidHour.length, 1 + 14 + 9 + 3);
  });

  it("covers 7 and 30 days with whole days in the middle and at most 26 documents per edge", () => {
    const week = periodsCovering(at("2025-01-27T10:15:00Z"), at("2025-02-03T10:15:00Z"));
    assert.deepEqual(week.filter((p) => p.level === "day").map(periodId), [
      "d:2025-01-28",
      "d:2025-01-29",
      "d:2025-01-30",
      "d:2025-01-31",
      "d:2025-02-01",
      "d:2025-02-02",
    ]);
    assert.equal(week.length, 3 + 13 + 6 + 10 + 1);
    const month = periodsCovering(at("2025-01-01T00:00:00Z"), at("2025-01-31T00:00:00Z"));
    assert.equal(month.length, 30);
  });

  it("covers every quarter of the window exactly once, in order", () => {
    for (const [from, to] of [
      ["2025-01-06T09:45:00Z", "2025-01-09T03:15:00Z"],
      ["2025-01-06T23:45:00Z", "2025-01-07T00:15:00Z"],
      ["2024-12-31T22:00:00Z", "2025-01-02T01:30:00Z"],
    ] as const) {
      const periods = periodsCovering(at(from), at(to));
      let next = at(from);
      for (const period of periods) {
        assert.equal(period.start, next);
        next += { day: DAY_MS, hour: HOUR_MS, quarter: QUARTER_MS }[period.level];
      }
      assert.equal(next, at(to));
    }
  });

  it("refuses a window that is not whole quarters", () => {
    assert.throws(() => periodsCovering(at("2025-01-06T09:40:00Z"), at("2025-01-06T11:00:00Z")), /whole quarters/);
  });
});

describe("periodId", () => {
  const idsAt = (iso: string) => periodsOfQuarter(quarterOf(new Date(iso)).getTime()).map(periodId);

  it("names the day, hour and quarter of a time at the millisecond edges, before 1970 and in four-digit years", () => {
    assert.deepEqual(idsAt("2024-12-31T23:59:59.999Z"), ["d:2024-12-31", "h:2024-12-31T23", "q:2024-12-31T23:45"]);
    assert.deepEqual(idsAt("2025-01-01T00:00:00.000Z"), ["d:2025-01-01", "h:2025-01-01T00", "q:2025-01-01T00:00"]);
    assert.deepEqual(idsAt("2024-02-29T23:45:00.001Z"), ["d:2024-02-29", "h:2024-02-29T23", "q:2024-02-29T23:45"]);
    assert.deepEqual(idsAt("1969-12-31T23:59:59.999Z"), ["d:1969-12-31", "h:1969-12-31T23", "q:1969-12-31T23:45"]);
    assert.deepEqual(idsAt("0999-12-31T23:59:59.999Z"), ["d:0999-12-31", "h:0999-12-31T23", "q:0999-12-31T23:45"]);
    assert.deepEqual(idsAt("9999-12-31T23:59:59.999Z"), ["d:9999-12-31", "h:9999-12-31T23", "q:9999-12-31T23:45"]);
  });

  it("gives each of a quarter's periods the same id from the quarter's one ISO string, in every year a timestamp can reach", () => {
    for (const iso of [
      "2024-12-31T23:59:59.999Z",
      "1969-12-31T23:45:00.000Z",
      "0000-01-01T00:00:00.000Z",
      "0000-01-01T00:00+01:00",
      "9999-12-31T23:59:59.999Z",
    ]) {
      const quarter = quarterOf(new Date(iso)).getTime();
      assert.deepEqual(
        identifiedPeriodsOfQuarter(quarter),
        periodsOfQuarter(quarter).map((period) => ({ ...period, id: periodId(period) })),
      );
    }
  });
});
