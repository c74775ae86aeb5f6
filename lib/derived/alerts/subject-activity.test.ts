import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { LogSummary } from "@/lib/records/logs/summaries";
import { periodId, type Period } from "@/lib/derived/rollups/periods";
import { CoveredWindow } from "@/lib/derived/rollups/read";
import type { PeriodDoc } from "@/lib/derived/rollups/period-docs";
import { activityPeriods, MAX_ACTIVITY_PERIODS, subjectActivityOf } from "./subject-activity";

const at = (iso: string) => new Date(`2026-03-02T${iso}Z`);
const NOW = at("23:00:00");

function makeDoc(period: Period, values: Partial<Pick<PeriodDoc, "ips" | "users" | "through_end">>): PeriodDoc {
  return {
    _id: periodId(period),
    level: period.level,
    start: new Date(period.start),
    total: 0,
    failed: 0,
    quarters: [],
    alerts: [],
    actions: [],
    ips: [],
    users: [],
    through: 1,
    through_end: 100,
    ...values,
  } as PeriodDoc;
}

function makeLog(fields: Partial<LogSummary>): LogSummary {
  return {
    log_id: "l",
    sequence: 200,
    time: at("10:05:00"),
    ip: "203.0.113.9",
    user: "root",
    action: "login",
    status: "failed",
    ...fields,
  } as LogSummary;
}

describe("activityPeriods", () => {
  it("counts quarters from three hours before the window to three hours after", () => {
    const { level, periods } = activityPeriods(at("10:05:00"), at("10:20:00"), NOW);
    assert.equal(level, "quarter");
    assert.equal(new Date(periods[0]!.start).toISOString(), "2026-03-02T07:00:00.000Z");
    assert.equal(new Date(periods.at(-1)!.start).toISOString(), "2026-03-02T13:15:00.000Z");
  });

  it("stops at now for a recent window", () => {
    const { periods } = activityPeriods(at("22:30:00"), at("22:40:00"), NOW);
    assert.equal(new Date(periods.at(-1)!.start).toISOString(), "2026-03-02T23:00:00.000Z");
  });

  it("counts a long window per hour, and a very long one per day, never more than the most periods", () => {
    assert.equal(
      activityPeriods(
        at("00:00:00"),
        new Date(at("00:00:00").getTime() + 2 * 86_400_000),
        new Date("2026-03-09T00:00:00Z"),
      ).level,
      "hour",
    );
    const long = activityPeriods(new Date("2025-01-01T00:00:00Z"), at("00:00:00"), NOW);
    assert.equal(long.level, "day");
    assert.equal(long.periods.length, MAX_ACTIVITY_PERIODS);
  });
});

describe("subjectActivityOf", () => {
  const periods: Period[] = [
    { level: "quarter", start: at("10:00:00").getTime() },
    { level: "quarter", start: at("10:15:00").getTime() },
  ];

  it("reads the address's and the user's counts apart, zero where a document has none", () => {
    const docs = new CoveredWindow(
      new Map([
        [
          periodId(periods[0]!),
          {
            period: periods[0]!,
            doc: makeDoc(periods[0]!, { ips: [{ v: "203.0.113.9", t: 7, f: 5 }], users: [{ v: "root", t: 3, f: 3 }] }),
          },
        ],
        [periodId(periods[1]!), { period: periods[1]!, doc: null }],
      ]),
    );
    const activity = subjectActivityOf(periods, docs, [], { ip: "203.0.113.9", user: "root" });
    assert.deepEqual(activity[0], {
      start: at("10:00:00"),
      ip: { failed: 5, succeeded: 2 },
      user: { failed: 3, succeeded: 0 },
    });
    assert.deepEqual(activity[1], {
      start: at("10:15:00"),
      ip: { failed: 0, succeeded: 0 },
      user: { failed: 0, succeeded: 0 },
    });
  });

  it("adds the tail logs a document does not count yet, and only the subject's", () => {
    const docs = new CoveredWindow(
      new Map(periods.map((period) => [periodId(period), { period, doc: makeDoc(period, { through_end: 100 }) }])),
    );
    const tail = [
      makeLog({ sequence: 99 }),
      makeLog({ sequence: 100 }),
      makeLog({ sequence: 101, status: "success" }),
      makeLog({ sequence: 102, ip: "198.51.100.1" }),
      makeLog({ sequence: 103, time: at("10:16:00") }),
      makeLog({ sequence: 104, time: at("12:00:00") }),
    ];
    const activity = subjectActivityOf(periods, docs, tail, { ip: "203.0.113.9" });
    assert.deepEqual(
      activity.map((period) => period.ip),
      [
        { failed: 1, succeeded: 1 },
        { failed: 1, succeeded: 0 },
      ],
    );
    assert.equal(activity[0]!.user, undefined);
  });
});
