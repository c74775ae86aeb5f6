import { LocalTime } from "@/components/logs/LocalTime";
import type { Alert } from "@/lib/alerts/alerts";
import { AlertActions } from "./AlertActions";
import { FindingFacts } from "./FindingFacts";
import { FindingGroups } from "./FindingGroups";
import { ALERT_STATUS_LABELS, ALERT_STATUS_STYLES } from "./labels";

/** Stored alerts grouped by type, open and acknowledged ones first, each with its status, who set it and when, and its actions for those who may change it. */
export function AlertList({ alerts, canChange }: { alerts: readonly Alert[]; canChange: boolean }) {
  return (
    <FindingGroups
      items={alerts}
      idPrefix="alerts"
      rank={(alert) => (alert.status === "resolved" ? 1 : 0)}
      render={(alert) => ({
        key: alert._id,
        attributes: { "data-alert-id": alert._id, "data-alert-status": alert.status },
        content: (
          <div className="space-y-3">
            <FindingFacts finding={{ ...alert, start: alert.start.toISOString(), end: alert.end.toISOString() }}>
              <span className={`ml-auto inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ${ALERT_STATUS_STYLES[alert.status]}`}>
                {ALERT_STATUS_LABELS[alert.status]}
              </span>
            </FindingFacts>
            <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 pt-3">
              <StatusLine alert={alert} />
              {canChange && <AlertActions id={alert._id} status={alert.status} subject={[alert.ip, alert.user, alert.source].filter(Boolean).join(" and ")} />}
            </div>
          </div>
        ),
      })}
    />
  );
}

/** Who made the latest change and when (or when the alert was raised), with earlier changes on request. */
function StatusLine({ alert }: { alert: Alert }) {
  const latest = alert.history.at(-1);
  return (
    <div className="text-xs text-slate-600">
      {latest ? (
        <p>
          {ALERT_STATUS_LABELS[latest.status]} by <span className="font-medium text-slate-900">{latest.by}</span>, <LocalTime iso={latest.at.toISOString()} />
          {latest.note && <span className="text-slate-700"> – “{latest.note}”</span>}
        </p>
      ) : (
        <p>
          Raised <LocalTime iso={alert.created_at.toISOString()} />, not yet acknowledged
        </p>
      )}
      {alert.history.length > 1 && (
        <details className="mt-1">
          <summary className="cursor-pointer">History ({alert.history.length} changes)</summary>
          <ol className="mt-1 list-inside list-decimal space-y-0.5">
            {alert.history.map((change, index) => (
              <li key={index}>
                {ALERT_STATUS_LABELS[change.status]} by {change.by}, <LocalTime iso={change.at.toISOString()} />
                {change.note && ` – “${change.note}”`}
              </li>
            ))}
          </ol>
        </details>
      )}
    </div>
  );
}
