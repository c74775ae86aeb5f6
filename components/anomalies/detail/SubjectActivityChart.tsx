import { ChartFigure } from "@/components/dashboard/ChartFigure";
import { OutcomeBarsChart } from "@/components/dashboard/OutcomeBarsChart";
import type { Alert } from "@/lib/derived/alerts/alert-record";
import type { SubjectActivity } from "@/lib/derived/alerts/subject-activity";
import { activitySummary, isInWindow, periodLabel, type ActivityDimension } from "./activity-text";

const LEVEL_NAMES = { quarter: "quarter hour", hour: "hour", day: "day" } as const;

/** The subject's failed and successful logs around the alert's window, one chart per address and user, each with its numbers as text. */
export function SubjectActivityChart({ alert, activity }: { alert: Alert; activity: SubjectActivity | null }) {
  const dimensions = (["ip", "user"] as const).filter((dimension) => alert[dimension] !== undefined);
  return (
    <section aria-labelledby="activity-title" className="space-y-3">
      <h2 id="activity-title" className="text-lg font-semibold">
        Activity around the alert
      </h2>
      {activity === null || dimensions.length === 0 ? (
        <p className="text-sm text-slate-600">
          Ledgerline counts logs per address and per user, not per source; the logs below show this source&apos;s
          activity.
        </p>
      ) : (
        <div className={`grid gap-4 ${dimensions.length > 1 ? "lg:grid-cols-2" : ""}`}>
          {dimensions.map((dimension) => (
            <DimensionChart
              key={dimension}
              dimension={dimension}
              subject={alert[dimension]!}
              alert={alert}
              activity={activity}
            />
          ))}
        </div>
      )}
    </section>
  );
}

function DimensionChart({
  dimension,
  subject,
  alert,
  activity,
}: {
  dimension: ActivityDimension;
  subject: string;
  alert: Alert;
  activity: SubjectActivity;
}) {
  const noun = dimension === "ip" ? "address" : "user";
  const title = `Logs of ${noun} ${subject}`;
  const summary = activitySummary(activity, dimension, subject, alert);
  const labels = activity.periods.map((period) => periodLabel(period.start, activity));
  return (
    <div className="space-y-2" data-testid={`activity-${dimension}`}>
      <ChartFigure
        id={`activity-${dimension}`}
        title={title}
        description={`Failed and successful logs per ${LEVEL_NAMES[activity.level]} (UTC), from the rollups; the alert's periods are marked in the table.`}
        table={{
          caption: `${title} per ${LEVEL_NAMES[activity.level]}`,
          columns: ["Period (UTC)", "Failed", "Successful", "Alert window"],
          rows: activity.periods.map((period, index) => [
            labels[index],
            period[dimension]?.failed ?? 0,
            period[dimension]?.succeeded ?? 0,
            isInWindow(period, activity, alert) ? "yes" : "",
          ]),
        }}
      >
        <OutcomeBarsChart
          labels={labels}
          success={activity.periods.map((period) => period[dimension]?.succeeded ?? 0)}
          failed={activity.periods.map((period) => period[dimension]?.failed ?? 0)}
          label={summary}
          xTitle={`${LEVEL_NAMES[activity.level]} (UTC)`}
        />
      </ChartFigure>
      <p className="text-sm text-slate-700" data-testid="activity-summary">
        {summary}
      </p>
    </div>
  );
}
