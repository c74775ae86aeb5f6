import type { AlertRow } from "./alert-rows";
import type { Alert } from "./alert-record";
import type { AlertGroup } from "./list-rows";

/** An alert as API clients and the webhook see it: its id as `id`, no internal fields. */
export function alertJson({ _id, subject_key: _subjectKey, ...alert }: Alert) {
  return { id: _id, ...alert };
}

/** An alert as the list's groups show it: the table's columns. */
export function alertSummaryJson(row: AlertRow) {
  return {
    id: row.id,
    type: row.type,
    severity: row.severity,
    ...(row.ip !== undefined && { ip: row.ip }),
    ...(row.user !== undefined && { user: row.user }),
    ...(row.source !== undefined && { source: row.source }),
    start: new Date(row.start),
    end: new Date(row.end),
    count: row.count,
    created_at: new Date(row.created),
    status: row.status,
    ...(row.changed_at !== undefined && { last_change: { at: new Date(row.changed_at), by: row.changed_by ?? "" } }),
  };
}

/** A group lists this many of its alerts; filter by its subject for the rest. */
export const MAX_GROUP_ALERTS = 25;

/** One subject's alerts in the list grouped by subject. */
export function alertGroupJson(group: AlertGroup) {
  return {
    subject: group.subject,
    kind: group.kind,
    types: group.types,
    severity: group.severity,
    start: new Date(group.start),
    end: new Date(group.end),
    count: group.count,
    alert_count: group.rows.length,
    alerts: group.rows.slice(0, MAX_GROUP_ALERTS).map(alertSummaryJson),
  };
}
