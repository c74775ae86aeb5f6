import type { Route } from "next";
import Link from "next/link";
import type { Dashboard } from "@/lib/features/dashboard/get-dashboard";
import { explorerLink } from "@/lib/features/dashboard/links";
import { AnomaliesChart } from "./AnomaliesChart";
import { ChartFigure } from "./ChartFigure";
import {
  formatCount,
  formatCountChange,
  formatDuration,
  formatPercent,
  formatPointChange,
  timeFormatter,
} from "./format";
import { OutcomeBarsChart } from "./OutcomeBarsChart";
import { OutcomeDoughnutChart } from "./OutcomeDoughnutChart";
import { StatCard } from "./StatCard";
import { TopValuesChart } from "./TopValuesChart";

const BUCKET_NAMES = { "1m": "minute", "15m": "15 minutes", "1h": "hour", "6h": "6 hours", "1d": "day" } as const;
const SEVERITIES = ["low", "medium", "high", "critical"] as const;

/** Every card and chart of one dashboard reading; the charts draw in the browser, the rest is static. */
export function DashboardView({ dashboard }: { dashboard: Dashboard }) {
  const { totals, window, tz } = dashboard;
  const time = timeFormatter(tz);
  const success = totals.total - totals.failed;
  const previousName = `the previous ${formatDuration(Date.parse(window.requested_to) - Date.parse(window.requested_from))}`;
  const rateChange = formatPointChange(totals.failure_rate_change);
  const verification = dashboard.verification;

  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-700" data-testid="dashboard-window">
        {time(window.from)} – {time(window.to)}
        {window.source === "rollups" ? " (whole 15-minute quarters)" : " (counted from the logs by the minute)"}
        {totals.fresh_logs > 0 &&
          `, including ${formatCount(totals.fresh_logs)} ${totals.fresh_logs === 1 ? "log" : "logs"} not yet checkpointed`}
        . Buckets of one {BUCKET_NAMES[window.bucket]} in {tz}.
      </p>
      {!dashboard.rollups_complete && (
        <p
          role="status"
          className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900"
          data-testid="rollups-incomplete"
        >
          The counts miss what was stored before this version&apos;s rollups. Run <code>npm run db:rollups</code> once
          to count it.
        </p>
      )}

      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 xl:grid-cols-6" aria-label="Headline numbers">
        <StatCard
          label="Total events"
          value={formatCount(totals.total)}
          detail={
            totals.previous.total === 0
              ? `none in ${previousName}`
              : `${formatCountChange(totals.total, totals.previous.total)} vs ${previousName}`
          }
        />
        <StatCard
          label="Failed events"
          value={formatCount(totals.failed)}
          tone={totals.failed > 0 ? "bad" : "neutral"}
          detail={`${formatPercent(totals.failure_rate)} of all`}
        />
        <StatCard label="Distinct users" value={formatCount(totals.distinct_users)} />
        <StatCard label="Distinct IPs" value={formatCount(totals.distinct_ips)} />
        <StatCard
          label="Open alerts"
          value={formatCount(dashboard.open_alerts)}
          href="/anomalies"
          tone={dashboard.open_alerts > 0 ? "bad" : "good"}
          detail="all time"
        />
        <StatCard
          label="Last verification"
          href="/integrity"
          value={verification ? (verification.ok ? "Passed" : "Failed") : "Never run"}
          tone={verification ? (verification.ok ? "good" : "bad") : "neutral"}
          detail={
            verification
              ? `${time(verification.finished_at)} · ${formatCount(verification.checked)} logs${verification.ok ? "" : `, ${formatCount(verification.problem_count)} problems`}`
              : "Run it on the Integrity page"
          }
        />
      </dl>

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <ChartFigure
            id="events-over-time"
            title="Events over time"
            description={`Successful and failed events per ${BUCKET_NAMES[window.bucket]} (${tz}); failed bars are hatched.`}
            table={{
              caption: "Events over time",
              columns: ["Starting", "Success", "Failed"],
              rows: dashboard.series.map((bucket) => [
                bucket.label,
                formatCount(bucket.success),
                formatCount(bucket.failed),
              ]),
            }}
          >
            <OutcomeBarsChart
              labels={dashboard.series.map((bucket) => bucket.label)}
              success={dashboard.series.map((bucket) => bucket.success)}
              failed={dashboard.series.map((bucket) => bucket.failed)}
              xTitle={`${BUCKET_NAMES[window.bucket]} starting (${tz})`}
              label={`Events over time: ${formatCount(totals.total)} events, ${formatCount(totals.failed)} failed, in ${dashboard.series.length} buckets. The table below lists them.`}
            />
          </ChartFigure>
        </div>
        <ChartFigure
          id="success-vs-failed"
          title="Success vs failed"
          description={`Failure rate against ${previousName}.`}
          table={{
            caption: "Success vs failed",
            columns: ["Outcome", "Events", "Share"],
            rows: [
              ["Success", formatCount(success), formatPercent(totals.total ? success / totals.total : null)],
              ["Failed", formatCount(totals.failed), formatPercent(totals.failure_rate)],
              [
                `Failed, ${previousName}`,
                formatCount(totals.previous.failed),
                formatPercent(totals.previous.failure_rate),
              ],
            ],
          }}
        >
          <p className="text-center">
            <span className="block text-3xl font-semibold tabular-nums text-slate-900" data-testid="failure-rate">
              {formatPercent(totals.failure_rate)}
            </span>
            <span className="text-xs text-slate-600">
              failed · {rateChange}
              {totals.previous.failure_rate !== null && ` vs ${formatPercent(totals.previous.failure_rate)}`}
            </span>
          </p>
          <OutcomeDoughnutChart
            success={success}
            failed={totals.failed}
            label={`${formatCount(success)} successful and ${formatCount(totals.failed)} failed events; failure rate ${formatPercent(totals.failure_rate)}, ${rateChange} against ${previousName}.`}
          />
        </ChartFigure>
      </div>

      <ChartFigure
        id="hour-of-day"
        title="Activity by hour of day"
        description={`Events per hour of the day in ${tz}, over the whole range.`}
        table={{
          caption: `Activity by hour of day (${tz})`,
          columns: ["Hour", "Success", "Failed"],
          rows: dashboard.hours.map((hour) => [
            `${String(hour.hour).padStart(2, "0")}:00`,
            formatCount(hour.success),
            formatCount(hour.failed),
          ]),
        }}
      >
        <OutcomeBarsChart
          labels={dashboard.hours.map((hour) => String(hour.hour).padStart(2, "0"))}
          success={dashboard.hours.map((hour) => hour.success)}
          failed={dashboard.hours.map((hour) => hour.failed)}
          xTitle={`hour of day (${tz})`}
          label={`Events per hour of day in ${tz}; the table below lists them.`}
        />
      </ChartFigure>

      <div className="grid gap-6 lg:grid-cols-2">
        <TopFigure
          id="top-ips"
          title="Top 10 IPs by failures"
          column="IP"
          rows={dashboard.top_failing_ips}
          hrefOf={(ip) => explorerLink(dashboard, { ip: [ip], status: ["failed"] })}
          tone="failed"
        />
        <TopFigure
          id="top-users"
          title="Top 10 users by failures"
          column="User"
          rows={dashboard.top_failing_users}
          hrefOf={(user) => explorerLink(dashboard, { user: [user], status: ["failed"] })}
          tone="failed"
        />
        <TopFigure
          id="top-actions"
          title="Top actions"
          column="Action"
          rows={dashboard.top_actions}
          hrefOf={(action) => explorerLink(dashboard, { action: [action] })}
          tone="neutral"
        />
        <AnomaliesFigure anomalies={dashboard.anomalies} />
      </div>
    </div>
  );
}

function TopFigure({
  id,
  title,
  column,
  rows,
  hrefOf,
  tone,
}: {
  id: string;
  title: string;
  column: string;
  rows: Dashboard["top_actions"];
  hrefOf: (value: string) => Route;
  tone: "failed" | "neutral";
}) {
  const counted = tone === "failed" ? "Failed events" : "Events";
  return (
    <ChartFigure
      id={id}
      title={title}
      description={rows.length > 0 ? "Click a bar to see its logs in the explorer." : undefined}
      table={{
        caption: title,
        columns: [column, counted],
        rows: rows.map((row) => [
          <Link key={row.value} className="underline" href={hrefOf(row.value)}>
            {row.value}
          </Link>,
          formatCount(row.count),
        ]),
      }}
    >
      {rows.length === 0 ? (
        <p className="py-10 text-center text-sm text-slate-600">
          {tone === "failed" ? "No failed events in this range." : "No events in this range."}
        </p>
      ) : (
        <TopValuesChart
          labels={rows.map((row) => row.value)}
          values={rows.map((row) => row.count)}
          hrefs={rows.map((row) => hrefOf(row.value))}
          tone={tone}
          seriesLabel={counted}
          label={`${title}: ${rows.map((row) => `${row.value} ${formatCount(row.count)}`).join(", ")}.`}
        />
      )}
    </ChartFigure>
  );
}

function AnomaliesFigure({ anomalies }: { anomalies: Dashboard["anomalies"] }) {
  const types = [...new Set(anomalies.map((row) => row.type))];
  const counts = Object.fromEntries(
    SEVERITIES.map((severity) => [
      severity,
      types.map((type) => anomalies.find((row) => row.type === type && row.severity === severity)?.count ?? 0),
    ]),
  ) as Record<(typeof SEVERITIES)[number], number[]>;
  const names = types.map((type) => type.replaceAll("_", " "));
  return (
    <ChartFigure
      id="anomalies"
      title="Anomalies by type and severity"
      description="Alerts whose window overlaps the range."
      table={{
        caption: "Anomalies by type and severity",
        columns: ["Type", "Severity", "Alerts"],
        rows: anomalies.map((row) => [row.type.replaceAll("_", " "), row.severity, formatCount(row.count)]),
      }}
    >
      {anomalies.length === 0 ? (
        <p className="py-10 text-center text-sm text-slate-600">No alerts in this range.</p>
      ) : (
        <AnomaliesChart
          types={names}
          counts={counts}
          label={`Alerts by type and severity: ${anomalies.map((row) => `${row.type.replaceAll("_", " ")} ${row.severity} ${row.count}`).join(", ")}.`}
        />
      )}
    </ChartFigure>
  );
}
