import type { Alert } from "@/lib/derived/alerts/alert-record";
import { AlertActions } from "../AlertActions";

/**
 * What an analyst can do with the alert: its status changes, and `children`,
 * further actions on it (muting findings like it) placed beside them.
 * Viewers see none of it.
 */
export function AlertDetailActions({
  alert,
  canChange,
  children,
}: {
  alert: Alert;
  canChange: boolean;
  children?: React.ReactNode;
}) {
  if (!canChange) return null;
  return (
    <section
      aria-labelledby="alert-actions-title"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
      data-testid="alert-actions"
    >
      <h2 id="alert-actions-title" className="text-base font-semibold">
        Actions
      </h2>
      <AlertActions
        id={alert._id}
        status={alert.status}
        subject={[alert.ip, alert.user, alert.source].filter(Boolean).join(" and ")}
      />
      {children}
    </section>
  );
}
