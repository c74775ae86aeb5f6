// The dashboard: every chart's and card's numbers for one time window, as
// plain serialisable data. Counts come from rollups plus the fresh tail (an
// hour or more) or from the window's logs in the search layout (shorter).
import type { Db } from "mongodb";
import { FINDING_TYPES, SEVERITIES } from "@/lib/records/anomaly";
import { createLocalClock } from "@/lib/foundation/util/local-time";
import { openAlertCount } from "@/lib/derived/alerts/open-count";
import { latestVerifyReport } from "@/lib/records/integrity/reports";
import { bucketSeries, hoursOfDay, type HourCounts, type SeriesBucket } from "./buckets";
import { readRawLogs } from "./raw-source";
import type { AnomalyCount, ValueCount } from "./readings";
import { readRollups } from "./rollup-source";
import { dashboardWindow, type BucketSize } from "./window";

export type Dashboard = {
  generated_at: string;
  tz: string;
  /** The window counted (quarters from rollups are whole), and the one asked for. */
  window: {
    from: string;
    to: string;
    requested_from: string;
    requested_to: string;
    source: "rollups" | "logs";
    bucket: BucketSize;
  };
  totals: {
    total: number;
    failed: number;
    /** failed / total, or null without logs. */
    failure_rate: number | null;
    previous: { from: string; to: string; total: number; failed: number; failure_rate: number | null };
    /** The change in failure rate against the previous period, in percentage points. */
    failure_rate_change: number | null;
    distinct_users: number;
    distinct_ips: number;
    fresh_logs: number;
  };
  series: SeriesBucket[];
  hours: HourCounts[];
  top_failing_ips: ValueCount[];
  top_failing_users: ValueCount[];
  top_actions: ValueCount[];
  /** Alerts whose window starts in the window's quarters. */
  anomalies: AnomalyCount[];
  open_alerts: number;
  /** False until `npm run db:rollups` has counted what was stored before this version's rollups. */
  rollups_complete: boolean;
  verification: { ok: boolean; finished_at: string; checked: number; problem_count: number } | null;
};

export async function getDashboard(db: Db, query: { from: Date; to: Date; tz: string }, now: Date): Promise<Dashboard> {
  const window = dashboardWindow(query.from, query.to);
  const clock = createLocalClock(query.tz);
  const readings = window.source === "logs" ? readRawLogs(db, window) : readRollups(db, window);
  const [counts, openAlerts, report] = await Promise.all([readings, openAlertCount(db), latestVerifyReport(db)]);

  const total = counts.slots.reduce((sum, slot) => sum + slot.total, 0);
  const failed = counts.slots.reduce((sum, slot) => sum + slot.failed, 0);
  const rate = failureRate(total, failed);
  const previousRate = failureRate(counts.previous.total, counts.previous.failed);
  return {
    generated_at: now.toISOString(),
    tz: query.tz,
    window: {
      from: window.from.toISOString(),
      to: window.to.toISOString(),
      requested_from: query.from.toISOString(),
      requested_to: query.to.toISOString(),
      source: window.source,
      bucket: window.bucket,
    },
    totals: {
      total,
      failed,
      failure_rate: rate,
      previous: {
        from: window.previous.from.toISOString(),
        to: window.previous.to.toISOString(),
        ...counts.previous,
        failure_rate: previousRate,
      },
      failure_rate_change: rate === null || previousRate === null ? null : (rate - previousRate) * 100,
      distinct_users: counts.distinctUsers,
      distinct_ips: counts.distinctIps,
      fresh_logs: counts.freshLogs,
    },
    series: bucketSeries(counts.slots, window, clock),
    hours: hoursOfDay(counts.slots, clock),
    top_failing_ips: counts.topFailingIps,
    top_failing_users: counts.topFailingUsers,
    top_actions: counts.topActions,
    anomalies: counts.anomalies.sort(
      (a, b) =>
        FINDING_TYPES.indexOf(a.type) - FINDING_TYPES.indexOf(b.type) ||
        SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity),
    ),
    open_alerts: openAlerts.count,
    rollups_complete: openAlerts.complete,
    verification: report && {
      ok: report.ok,
      finished_at: report.finished_at.toISOString(),
      checked: report.checked,
      problem_count: report.problem_count,
    },
  };
}

function failureRate(total: number, failed: number): number | null {
  return total === 0 ? null : failed / total;
}
