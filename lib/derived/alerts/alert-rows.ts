// One alert as the list reads it: the fields the table shows, filters and
// sorts on, small enough that every alert's row fits in a few packed
// documents (alert-index.ts). Detection owns the finding's fields, people own
// the status fields; each writer merges only its own into a row.
import type { FindingType, Severity } from "@/lib/records/anomaly";
import type { WorkingAlert } from "./alert-record";
import type { Alert, AlertStatus } from "./alert-record";

export type AlertRow = {
  id: string;
  type: FindingType;
  severity: Severity;
  ip?: string;
  user?: string;
  source?: string;
  /** Epoch milliseconds of the first and last log, and of the alert's creation. */
  start: number;
  end: number;
  count: number;
  created: number;
  status: AlertStatus;
  /** How many status changes people made: a change applies only over fewer. */
  changes: number;
  changed_at?: number;
  changed_by?: string;
};

export type DetectionFields = Pick<
  AlertRow,
  "type" | "severity" | "ip" | "user" | "source" | "start" | "end" | "count"
>;
export type StatusFields = Pick<AlertRow, "status" | "changes" | "changed_at" | "changed_by">;

export function detectionFieldsOf(
  alert: Pick<Alert, "type" | "severity" | "ip" | "user" | "source" | "start" | "end" | "count">,
): DetectionFields {
  return {
    type: alert.type,
    severity: alert.severity,
    ...(alert.ip != null && { ip: alert.ip }),
    ...(alert.user != null && { user: alert.user }),
    ...(alert.source != null && { source: alert.source }),
    start: alert.start.getTime(),
    end: alert.end.getTime(),
    count: alert.count,
  };
}

export function statusFieldsOf(alert: Pick<Alert, "status" | "history">): StatusFields {
  const latest = alert.history.at(-1);
  return {
    status: alert.status,
    changes: alert.history.length,
    ...(latest && { changed_at: latest.at.getTime(), changed_by: latest.by }),
  };
}

export function rowOf(alert: Alert): AlertRow {
  return { id: alert._id, ...detectionFieldsOf(alert), created: alert.created_at.getTime(), ...statusFieldsOf(alert) };
}

/** The row with the other row's status fields when those record more changes: of two writers, the later change stands. */
export function withLaterStatus(row: AlertRow, other: AlertRow | undefined): AlertRow {
  if (!other || other.changes <= row.changes) return row;
  const { status, changes, changed_at, changed_by } = other;
  return {
    ...withoutStatus(row),
    status,
    changes,
    ...(changed_at !== undefined && { changed_at }),
    ...(changed_by !== undefined && { changed_by }),
  };
}

function withoutStatus({ status: _status, changes: _changes, changed_at: _at, changed_by: _by, ...rest }: AlertRow) {
  return rest;
}

/** The row with the live fields detection holds for it (active-alerts.ts). */
export function withLiveRowFields(
  row: AlertRow,
  live: Pick<WorkingAlert, "severity" | "start" | "end" | "count"> | undefined,
): AlertRow {
  if (!live) return row;
  return { ...row, severity: live.severity, start: live.start.getTime(), end: live.end.getTime(), count: live.count };
}

/** The UTC day an alert's row is kept under: the day it was created, which never changes. */
export function dayOf(created: number): string {
  return new Date(created).toISOString().slice(0, 10);
}
