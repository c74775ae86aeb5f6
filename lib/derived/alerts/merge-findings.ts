// How findings become alerts: a finding that overlaps an alert of the same
// type and subject, or follows it within the merge gap, extends that alert;
// any other creates one. Pure: the caller reads the alerts and stores the result.
import { createHash } from "node:crypto";
import { MAX_LOG_IDS, SEVERITIES, type Finding } from "@/lib/records/anomaly";
import { liveFieldsOf, workingAlertOf } from "./active-alerts";
import { type WorkingAlert } from "./alert-record";
import type { Alert } from "./alert-record";

export type MergeOptions = {
  mergeGapMs: number;
  now: Date;
  /** Names the alerts created: merging the same findings with the same seed gives the same ids (a derivation run again inserts nothing twice). */
  idSeed: string;
  /** The suppression rule muting a finding that creates an alert (stored suppressed); findings that extend an alert leave its status alone. */
  suppressedBy?: (finding: Finding) => string | undefined;
};

/** Merges `findings` into `alerts` (extended in place and marked unsaved; created ones added); returns the alerts created. */
export function mergeFindings(
  alerts: WorkingAlert[],
  findings: Finding[],
  { mergeGapMs, now, idSeed, suppressedBy }: MergeOptions,
): Alert[] {
  const bySubject = new Map<string, WorkingAlert[]>();
  for (const alert of alerts) bySubject.set(alert.subject_key, [...(bySubject.get(alert.subject_key) ?? []), alert]);
  const created = new Map<WorkingAlert, Alert>();
  for (const finding of findings) {
    const key = subjectKey(finding);
    const candidates = bySubject.get(key) ?? [];
    const existing = candidates.find(
      (alert) =>
        alert.start.getTime() <= finding.end.getTime() + mergeGapMs &&
        alert.end.getTime() >= finding.start.getTime() - mergeGapMs,
    );
    if (existing) {
      const extended = { ...liveFieldsOf(existing), ...extend(existing, finding) };
      // Findings detection meets again (carried-over logs) usually change nothing.
      if (JSON.stringify(extended) === JSON.stringify(liveFieldsOf(existing))) continue;
      Object.assign(existing, extended, { updated_at: now });
      if (!created.has(existing)) existing.unsaved = true;
      continue;
    }
    const { repeated: _repeated, ...fields } = finding;
    const rule = suppressedBy?.(finding);
    const alert: Alert = {
      _id: alertId(idSeed, key, finding.start),
      ...fields,
      log_ids: finding.log_ids.slice(0, MAX_LOG_IDS),
      subject_key: key,
      status: rule === undefined ? "open" : "suppressed",
      ...(rule !== undefined && { suppressed_by: rule }),
      created_at: now,
      updated_at: now,
      history: [],
    };
    const working = workingAlertOf(alert);
    created.set(working, alert);
    alerts.push(working);
    bySubject.set(key, [...candidates, working]);
  }
  return [...created].map(([working, alert]) => ({ ...alert, ...liveFieldsOf(working) }));
}

export function subjectKey(finding: Pick<Finding, "type" | "ip" | "user" | "source">): string {
  const key = [finding.type, finding.ip ?? null, finding.user ?? null];
  return JSON.stringify(finding.source === undefined ? key : [...key, finding.source]);
}

/**
 * The live fields after `finding` extends `alert` (all but updated_at). Of the
 * finding's logs, the alert has counted those detection carried over from
 * earlier checkpoints (`repeated`), and, when a writer derives a checkpoint
 * again, the ones it lists already: each bound over-counts only in the
 * other's case, so the smaller is kept.
 */
function extend(alert: WorkingAlert, finding: Finding): Omit<ReturnType<typeof liveFieldsOf>, "updated_at"> {
  const logIds = [...new Set([...alert.log_ids, ...finding.log_ids])].slice(0, MAX_LOG_IDS);
  const added = finding.log_ids.filter((id) => !alert.log_ids.includes(id)).length;
  const later = finding.end.getTime() >= alert.end.getTime();
  return {
    start: finding.start < alert.start ? finding.start : alert.start,
    end: later ? finding.end : alert.end,
    count: Math.max(
      alert.count,
      finding.count,
      alert.count + Math.min(finding.count - (finding.repeated ?? 0), finding.count - finding.log_ids.length + added),
    ),
    log_ids: logIds,
    severity:
      SEVERITIES.indexOf(finding.severity) > SEVERITIES.indexOf(alert.severity) ? finding.severity : alert.severity,
    explanation: later ? finding.explanation : alert.explanation,
  };
}

/** A UUID-shaped id derived from the seed, the subject and the start (one alert per subject starts there). */
function alertId(seed: string, subject: string, start: Date): string {
  const hex = createHash("sha256").update(`${seed}\u0000${subject}\u0000${start.getTime()}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
