// Alerts: findings stored as they are detected at each checkpoint, one per
// subject and window (a finding that overlaps an alert of the same type and
// subject, or follows it within the window, extends that alert), with a
// lifecycle open → acknowledged → resolved. Only the checkpoint writer
// creates and extends alerts; people change only their status.
import { randomUUID } from "node:crypto";
import type { Db } from "mongodb";
import type { Finding, FindingType, Severity } from "@/lib/anomaly";
import { MAX_LOG_IDS, SEVERITIES } from "@/lib/anomaly";
import { COLLECTIONS } from "@/lib/db/collections";

export const ALERT_STATUSES = ["open", "acknowledged", "resolved"] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export type AlertChange = { status: AlertStatus; by: string; at: Date; note?: string };

/** A stored finding, with its lifecycle. */
export type Alert = Finding & {
  _id: string;
  /** type, ip and user in one value, for finding the alert a new finding extends. */
  subject_key: string;
  status: AlertStatus;
  created_at: Date;
  updated_at: Date;
  history: AlertChange[];
};

export function alertsCollection(db: Db) {
  return db.collection<Alert>(COLLECTIONS.alerts);
}

/**
 * Stores findings as alerts, merging each into the alert of its type and
 * subject that it overlaps or follows within `mergeGapMs`; returns the alerts
 * created (not those extended). Single writer: the checkpoint winner. One
 * read of the recent alerts and one insert, however many findings.
 */
export async function recordFindings(db: Db, findings: Finding[], mergeGapMs: number, now = new Date()): Promise<Alert[]> {
  if (findings.length === 0) return [];
  const earliest = Math.min(...findings.map((finding) => finding.start.getTime()));
  const recent = await alertsCollection(db)
    .find({ end: { $gte: new Date(earliest - mergeGapMs) } })
    .toArray();
  const bySubject = new Map<string, Alert[]>();
  for (const alert of recent) bySubject.set(alert.subject_key, [...(bySubject.get(alert.subject_key) ?? []), alert]);

  const created: Alert[] = [];
  const changed = new Map<string, Alert>();
  for (const finding of findings) {
    const key = subjectKey(finding);
    const candidates = bySubject.get(key) ?? [];
    const existing = candidates.find(
      (alert) => alert.start.getTime() <= finding.end.getTime() + mergeGapMs && alert.end.getTime() >= finding.start.getTime() - mergeGapMs,
    );
    if (existing) {
      const before = JSON.stringify(extensionFields(existing, false));
      Object.assign(existing, extend(existing, finding, now));
      // Findings detection meets again (carried-over logs) usually change nothing.
      if (!created.includes(existing) && JSON.stringify(extensionFields(existing, false)) !== before) changed.set(existing._id, existing);
      continue;
    }
    const alert: Alert = {
      _id: randomUUID(),
      ...finding,
      log_ids: finding.log_ids.slice(0, MAX_LOG_IDS),
      subject_key: key,
      status: "open",
      created_at: now,
      updated_at: now,
      history: [],
    };
    created.push(alert);
    bySubject.set(key, [...candidates, alert]);
  }
  if (created.length > 0) await alertsCollection(db).insertMany(created);
  // One update per alert: FerretDB v1.24 hangs on an update command carrying
  // about a hundred statements (measured: 10 take 13 ms, 100 never answer).
  for (const alert of changed.values()) await alertsCollection(db).updateOne({ _id: alert._id }, { $set: extensionFields(alert) });
  return created;
}

function extensionFields({ start, end, count, log_ids, severity, explanation, updated_at }: Alert, withTime = true): Partial<Alert> {
  return { start, end, count, log_ids, severity, explanation, ...(withTime && { updated_at }) };
}

function subjectKey(finding: Pick<Finding, "type" | "ip" | "user">): string {
  return JSON.stringify([finding.type, finding.ip ?? null, finding.user ?? null]);
}

function extend(alert: Alert, finding: Finding, now: Date): Partial<Alert> {
  const logIds = [...new Set([...alert.log_ids, ...finding.log_ids])].slice(0, MAX_LOG_IDS);
  const added = finding.log_ids.filter((id) => !alert.log_ids.includes(id)).length;
  const later = finding.end.getTime() >= alert.end.getTime();
  return {
    start: finding.start < alert.start ? finding.start : alert.start,
    end: later ? finding.end : alert.end,
    // Findings repeat logs the alert already counted when detection resumes with its carried-over events.
    count: Math.max(alert.count, finding.count, alert.count + (finding.count - finding.log_ids.length) + added),
    log_ids: logIds,
    severity: SEVERITIES.indexOf(finding.severity) > SEVERITIES.indexOf(alert.severity) ? finding.severity : alert.severity,
    explanation: later ? finding.explanation : alert.explanation,
    updated_at: now,
  };
}

export async function countOpenAlerts(db: Db): Promise<number> {
  return alertsCollection(db).countDocuments({ status: "open" });
}

/** Alerts whose window overlaps [from, to], newest first. */
export async function findAlerts(db: Db, range: { from: Date; to: Date }, options: { status?: AlertStatus; limit?: number } = {}): Promise<Alert[]> {
  return alertsCollection(db)
    .find({ start: { $lte: range.to }, end: { $gte: range.from }, ...(options.status && { status: options.status }) })
    .sort({ end: -1 })
    .limit(options.limit ?? 500)
    .toArray();
}

/** Alert counts per type and severity whose window overlaps [from, to]. */
export async function alertCounts(db: Db, range: { from: Date; to: Date }): Promise<{ type: FindingType; severity: Severity; count: number }[]> {
  const rows = await alertsCollection(db)
    .aggregate<{ _id: { type: FindingType; severity: Severity }; count: number }>([
      { $match: { start: { $lte: range.to }, end: { $gte: range.from } } },
      { $group: { _id: { type: "$type", severity: "$severity" }, count: { $sum: 1 } } },
    ])
    .toArray();
  return rows.map((row) => ({ type: row._id.type, severity: row._id.severity, count: row.count }));
}
