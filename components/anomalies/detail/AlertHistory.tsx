import { LocalTime } from "@/components/logs/LocalTime";
import type { Alert } from "@/lib/derived/alerts/alert-record";
import { ALERT_STATUS_LABELS } from "../labels";

/** Every status change, oldest first, after the alert was raised: who, when, and their note. */
export function AlertHistory({ alert }: { alert: Pick<Alert, "created_at" | "history"> }) {
  return (
    <section aria-labelledby="alert-history-title" className="space-y-2">
      <h2 id="alert-history-title" className="text-lg font-semibold">
        History
      </h2>
      <ol className="space-y-2 border-l-2 border-slate-200 pl-4 text-sm">
        <li>
          <span className="font-medium text-slate-900">Raised</span> by detection,{" "}
          <LocalTime iso={alert.created_at.toISOString()} />
        </li>
        {alert.history.map((change, index) => (
          <li key={index} data-testid="alert-change">
            <span className="font-medium text-slate-900">{ALERT_STATUS_LABELS[change.status]}</span> by{" "}
            <span className="break-all">{change.by}</span>, <LocalTime iso={change.at.toISOString()} />
            {change.note && <p className="mt-0.5 text-slate-700">“{change.note}”</p>}
          </li>
        ))}
      </ol>
      {alert.history.length === 0 && (
        <p className="text-sm text-slate-600">Nobody has acknowledged or resolved it yet.</p>
      )}
    </section>
  );
}
