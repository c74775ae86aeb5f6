import { LocalTime } from "@/components/logs/LocalTime";
import type { Alert } from "@/lib/derived/alerts/alert-record";
import { SeverityBadge } from "../FindingFacts";
import { ALERT_STATUS_LABELS, ALERT_STATUS_STYLES, FINDING_TYPE_LABELS } from "../labels";

/** What the alert is: its explanation, then severity and why, type, subject, window, size and status, as a description list. */
export function AlertFacts({ alert, severityReason }: { alert: Alert; severityReason: string }) {
  return (
    <section
      aria-labelledby="alert-facts-title"
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm"
    >
      <h2 id="alert-facts-title" className="sr-only">
        What was found
      </h2>
      <p className="text-base text-slate-900" data-testid="alert-explanation">
        {alert.explanation}
      </p>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
        <Fact name="Severity">
          <span className="flex flex-wrap items-center gap-2">
            <SeverityBadge severity={alert.severity} />
            <span className="text-slate-700" data-testid="severity-reason">
              {severityReason}
            </span>
          </span>
        </Fact>
        <Fact name="Type">
          {FINDING_TYPE_LABELS[alert.type]} <code className="ml-1 font-mono text-xs text-slate-500">{alert.type}</code>
        </Fact>
        {alert.ip && <Fact name="IP">{<span className="break-all font-mono">{alert.ip}</span>}</Fact>}
        {alert.user && <Fact name="User">{<span className="break-all">{alert.user}</span>}</Fact>}
        {alert.source && <Fact name="Source">{<span className="break-all">{alert.source}</span>}</Fact>}
        <Fact name="First event">
          <LocalTime iso={alert.start.toISOString()} />
        </Fact>
        <Fact name="Last event">
          <LocalTime iso={alert.end.toISOString()} />
        </Fact>
        <Fact name="Logs">{alert.count}</Fact>
        <Fact name="Status">
          <span
            className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ${ALERT_STATUS_STYLES[alert.status]}`}
          >
            {ALERT_STATUS_LABELS[alert.status]}
          </span>
        </Fact>
      </dl>
    </section>
  );
}

function Fact({ name, children }: { name: string; children: React.ReactNode }) {
  return (
    <>
      <dt className="font-medium text-slate-700">{name}</dt>
      <dd className="min-w-0 text-slate-900">{children}</dd>
    </>
  );
}
