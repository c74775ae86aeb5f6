// Alerts: findings stored as they are detected at each checkpoint, one per
// subject and window (merge-findings.ts), with a lifecycle open →
// acknowledged → resolved; a new finding a suppression rule covers is stored
// suppressed instead of open (suppression-rules.ts). Only the checkpoint writer creates and extends
// alerts, and the alerts it may still extend live in its state until they
// settle (active-alerts.ts): read them through listAlerts or withLiveFields.
// People change only their status.
import type { Db } from "mongodb";
import type { Finding } from "@/lib/records/anomaly";
import { COLLECTIONS } from "@/lib/platform/db/collections";

export const ALERT_STATUSES = ["open", "acknowledged", "resolved", "suppressed"] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export type AlertChange = { status: AlertStatus; by: string; at: Date; note?: string };

/** A stored finding, with its lifecycle. */
export type Alert = Finding & {
  _id: string;
  /** type, ip and user in one value, for finding the alert a new finding extends. */
  subject_key: string;
  status: AlertStatus;
  /** The suppression rule that muted the alert when detection created it; kept whatever its status becomes. */
  suppressed_by?: string;
  created_at: Date;
  updated_at: Date;
  history: AlertChange[];
};

export function alertsCollection(db: Db) {
  return db.collection<Alert>(COLLECTIONS.alerts);
}

export async function countOpenAlerts(db: Db): Promise<number> {
  return alertsCollection(db).countDocuments({ status: "open" });
}

/** The fields detection rewrites when a finding extends an alert. */
export const LIVE_FIELDS = ["start", "end", "count", "log_ids", "severity", "explanation", "updated_at"] as const;
export type LiveField = (typeof LIVE_FIELDS)[number];

/** An alert as detection works on it; `unsaved` when its document lags behind these fields. */
export type WorkingAlert = Pick<Alert, "_id" | "type" | "ip" | "user" | "subject_key" | "suppressed_by" | LiveField> & {
  unsaved: boolean;
};
