// The dashboard's numbers on a known dataset, exactly: from rollups plus the
// fresh tail for an hour or more (UTC and Asia/Kolkata), from the raw logs for
// shorter ranges, and the alert and verification cards.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Db } from "mongodb";
import { alertsCollection } from "@/lib/derived/alerts/alert-record";
import { recordFindings } from "@/lib/derived/alerts/detect";
import type { Finding } from "@/lib/records/anomaly";
import { getDashboard, type Dashboard } from "@/lib/features/dashboard/get-dashboard";
import { ensureIndexes } from "@/lib/platform/db/indexes";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { runVerification } from "@/lib/records/integrity/reports";
import { logsCollection } from "@/lib/records/logs/collection";
import { ingestLogs } from "@/lib/records/logs/ingest";
import type { LogInput } from "@/lib/records/logs/schemas";
import { rebuildRollups } from "@/lib/derived/rollups/rebuild";
import { makeLogInput } from "./support/log-inputs";
import { setupTestDatabase } from "./support/test-db";

const test = setupTestDatabase("dashboard");

const DAY = { from: new Date("2026-04-01T00:00:00Z"), to: new Date("2026-04-02T00:00:00Z") };
const NOW = new Date("2026-04-02T00:00:00Z");

/** `count` logs from `at` on, one second apart; the first `failed` of them failed. */
function logs(
  at: string,
  count: number,
  failed: number,
  fields: { ip: string; user: string; action: string },
): LogInput[] {
  return Array.from(
    { length: count },
    (_, index) =>
      makeLogInput({
        ...fields,
        timestamp: new Date(Date.parse(at) + index * 1000).toISOString(),
        status: index < failed ? "failed" : "success",
      }) as LogInput,
  );
}

// Kolkata is UTC+5:30: 03:15Z is 08:45, 03:30Z is 09:00, 12:00Z is 17:30, 23:50Z is 05:20 the next day.
const CHECKPOINTED = [
  ...logs("2026-03-31T12:00:00Z", 10, 2, { ip: "10.0.9.9", user: "erin", action: "login" }), // the previous day
  ...logs("2026-04-01T03:15:00Z", 4, 3, { ip: "10.0.0.1", user: "alice", action: "login" }),
  ...logs("2026-04-01T03:30:00Z", 6, 2, { ip: "10.0.0.2", user: "bob", action: "login" }),
  ...logs("2026-04-01T12:00:00Z", 5, 0, { ip: "10.0.0.1", user: "carol", action: "file_access" }),
  ...logs("2026-04-01T23:50:00Z", 2, 1, { ip: "192.168.1.9", user: "alice", action: "logout" }),
  ...logs("2026-04-02T00:00:00Z", 1, 1, { ip: "10.0.0.7", user: "zed", action: "login" }), // just after the window
];
// Stored after the checkpoint: only the fresh tail has them until the next one.
const FRESH = [
  ...logs("2026-04-01T12:05:00Z", 3, 3, { ip: "10.0.0.3", user: "dave", action: "login" }),
  ...logs("2026-04-01T12:10:00Z", 1, 1, { ip: "10.0.0.1", user: "alice", action: "login" }),
];

const ingest = (db: Db, inputs: LogInput[]) =>
  ingestLogs(db, inputs, { keyring: getKeyring(), maxFutureSkewMs: 300_000, ingestedBy: "cli:test" });
const checkpoint = (db: Db) => writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 120_000 });
const nonEmpty = (hours: Dashboard["hours"]) => hours.filter((hour) => hour.success + hour.failed > 0);

function finding(type: Finding["type"], severity: Finding["severity"], start: string, ip: string): Finding {
  return {
    type,
    severity,
    ip,
    start: new Date(start),
    end: new Date(Date.parse(start) + 60_000),
    count: 5,
    log_ids: [],
    explanation: `${type} from ${ip}`,
  };
}

describe("dashboard", () => {
  it("counts a day from the rollups: totals, rate and change, distinct values, tops, hourly buckets and hours of day in UTC", async () => {
    const db = test.db;
    await ensureIndexes(db);
    await ingest(db, CHECKPOINTED);
    await checkpoint(db);
    const dashboard = await getDashboard(db, { ...DAY, tz: "UTC" }, NOW);

    assert.deepEqual(dashboard.window, {
      from: "2026-04-01T00:00:00.000Z",
      to: "2026-04-02T00:00:00.000Z",
      requested_from: "2026-04-01T00:00:00.000Z",
      requested_to: "2026-04-02T00:00:00.000Z",
      source: "rollups",
      bucket: "1h",
    });
    const { previous, failure_rate, failure_rate_change, ...totals } = dashboard.totals;
    assert.deepEqual(totals, { total: 17, failed: 6, distinct_users: 3, distinct_ips: 3, fresh_logs: 0 });
    assert.equal(failure_rate, 6 / 17);
    assert.deepEqual(previous, {
      from: "2026-03-31T00:00:00.000Z",
      to: "2026-04-01T00:00:00.000Z",
      total: 10,
      failed: 2,
      failure_rate: 0.2,
    });
    assert.equal(failure_rate_change, (6 / 17 - 0.2) * 100);

    assert.deepEqual(dashboard.top_failing_ips, [
      { value: "10.0.0.1", count: 3 },
      { value: "10.0.0.2", count: 2 },
      { value: "192.168.1.9", count: 1 },
    ]);
    assert.deepEqual(dashboard.top_failing_users, [
      { value: "alice", count: 4 },
      { value: "bob", count: 2 },
    ]);
    assert.deepEqual(dashboard.top_actions, [
      { value: "login", count: 10 },
      { value: "file_access", count: 5 },
      { value: "logout", count: 2 },
    ]);

    assert.equal(dashboard.series.length, 24);
    assert.deepEqual(
      dashboard.series
        .filter((bucket) => bucket.success + bucket.failed > 0)
        .map((bucket) => [bucket.label, bucket.success, bucket.failed]),
      [
        ["04-01 03:00", 5, 5],
        ["04-01 12:00", 5, 0],
        ["04-01 23:00", 1, 1],
      ],
    );
    assert.deepEqual(nonEmpty(dashboard.hours), [
      { hour: 3, success: 5, failed: 5 },
      { hour: 12, success: 5, failed: 0 },
      { hour: 23, success: 1, failed: 1 },
    ]);
  });

  it("buckets and hours follow Asia/Kolkata's half-hour offset", async () => {
    const dashboard = await getDashboard(test.db, { ...DAY, tz: "Asia/Kolkata" }, NOW);
    assert.equal(dashboard.totals.total, 17);
    // Local hours from 05:00 (window starts 05:30) to 05:00 the next day (window ends 05:30): 25 buckets, two of them
    // halves.
    assert.equal(dashboard.series.length, 25);
    assert.deepEqual(
      [dashboard.series[0]!.label, dashboard.series[0]!.start, dashboard.series[24]!.label],
      ["04-01 05:00", "2026-04-01T00:00:00.000Z", "04-02 05:00"],
    );
    assert.deepEqual(
      dashboard.series
        .filter((bucket) => bucket.success + bucket.failed > 0)
        .map((bucket) => [bucket.label, bucket.success, bucket.failed]),
      [
        ["04-01 08:00", 1, 3],
        ["04-01 09:00", 4, 2],
        ["04-01 17:00", 5, 0],
        ["04-02 05:00", 1, 1],
      ],
    );
    assert.deepEqual(nonEmpty(dashboard.hours), [
      { hour: 5, success: 1, failed: 1 },
      { hour: 8, success: 1, failed: 3 },
      { hour: 9, success: 4, failed: 2 },
      { hour: 17, success: 5, failed: 0 },
    ]);
  });

  it("adds the fresh tail before the next checkpoint, and counts it once after", async () => {
    const db = test.db;
    await ingest(db, FRESH);
    const expected = {
      totals: { total: 21, failed: 10, distinct_users: 4, distinct_ips: 4 },
      ips: [
        { value: "10.0.0.1", count: 4 },
        { value: "10.0.0.3", count: 3 },
        { value: "10.0.0.2", count: 2 },
        { value: "192.168.1.9", count: 1 },
      ],
      users: [
        { value: "alice", count: 5 },
        { value: "dave", count: 3 },
        { value: "bob", count: 2 },
      ],
      actions: [
        { value: "login", count: 14 },
        { value: "file_access", count: 5 },
        { value: "logout", count: 2 },
      ],
      noon: ["04-01 12:00", 5, 4],
    };
    const read = async () => {
      const dashboard = await getDashboard(db, { ...DAY, tz: "UTC" }, NOW);
      const { total, failed, distinct_users, distinct_ips, fresh_logs } = dashboard.totals;
      const noon = dashboard.series.find((bucket) => bucket.label === "04-01 12:00")!;
      return {
        fresh_logs,
        counts: {
          totals: { total, failed, distinct_users, distinct_ips },
          ips: dashboard.top_failing_ips,
          users: dashboard.top_failing_users,
          actions: dashboard.top_actions,
          noon: [noon.label, noon.success, noon.failed],
        },
      };
    };
    assert.deepEqual(await read(), { fresh_logs: 4, counts: expected });
    await checkpoint(db);
    assert.deepEqual(await read(), { fresh_logs: 0, counts: expected });
  });

  it("reads a 15-minute range from the raw logs by the minute, also logs stored before the minute field", async () => {
    const db = test.db;
    const range = { from: new Date("2026-04-01T03:10:00Z"), to: new Date("2026-04-01T03:25:00Z") };
    const expected = {
      window: { source: "logs", bucket: "1m", from: "2026-04-01T03:10:00.000Z", to: "2026-04-01T03:25:00.000Z" },
      totals: {
        total: 4,
        failed: 3,
        failure_rate: 0.75,
        failure_rate_change: null,
        distinct_users: 1,
        distinct_ips: 1,
      },
      buckets: 15,
      busy: [["03:15", 1, 3]],
      kolkataHours: [{ hour: 8, success: 1, failed: 3 }],
      ips: [{ value: "10.0.0.1", count: 3 }],
      actions: [{ value: "login", count: 4 }],
    };
    const read = async () => {
      const dashboard = await getDashboard(db, { ...range, tz: "Asia/Kolkata" }, NOW);
      const { source, bucket, from, to } = dashboard.window;
      const { total, failed, failure_rate, failure_rate_change, distinct_users, distinct_ips } = dashboard.totals;
      return {
        window: { source, bucket, from, to },
        totals: { total, failed, failure_rate, failure_rate_change, distinct_users, distinct_ips },
        buckets: dashboard.series.length,
        busy: dashboard.series.filter((b) => b.success + b.failed > 0).map((b) => [b.label, b.success, b.failed]),
        kolkataHours: nonEmpty(dashboard.hours),
        ips: dashboard.top_failing_ips,
        actions: dashboard.top_actions,
      };
    };
    const withKolkataLabels = { ...expected, busy: [["08:45", 1, 3]] };
    assert.deepEqual(await read(), withKolkataLabels);
    await logsCollection(db).updateMany({}, { $unset: { minute: "" } });
    assert.deepEqual(await read(), withKolkataLabels);
  });

  it("shows alerts by type and severity for the range, open alerts and the last verification", async () => {
    const db = test.db;
    // Only the alerts this test records (the checkpoints above raised their own).
    await alertsCollection(db).deleteMany({});
    await recordFindings(
      db,
      [
        finding("failure_burst", "high", "2026-04-01T03:15:00Z", "10.0.0.1"),
        finding("failure_burst", "medium", "2026-04-01T12:05:00Z", "10.0.0.3"),
        finding("off_hours", "low", "2026-04-01T23:50:00Z", "192.168.1.9"),
        finding("failure_burst", "high", "2026-03-20T03:15:00Z", "10.0.0.5"),
      ],
      60_000,
    );
    // Alerts stored by hand, not by detection at a checkpoint, are counted by a rebuild.
    await rebuildRollups(db);
    const before = await getDashboard(db, { ...DAY, tz: "UTC" }, NOW);
    assert.deepEqual(before.anomalies, [
      { type: "failure_burst", severity: "high", count: 1 },
      { type: "failure_burst", severity: "medium", count: 1 },
      { type: "off_hours", severity: "low", count: 1 },
    ]);
    assert.equal(before.open_alerts, 4);
    assert.equal(before.verification, null);

    const report = await runVerification(db, { user: "test" });
    const after = await getDashboard(db, { ...DAY, tz: "UTC" }, NOW);
    assert.deepEqual(after.verification, {
      ok: true,
      finished_at: report.finished_at.toISOString(),
      checked: report.checked,
      problem_count: 0,
    });
  });
});
