// The alerts detection may still extend, as it last left them, carried from
// one checkpoint to the next in the detection state (detection-state.ts)
// rather than rewritten in the alerts collection at every checkpoint: on the
// embedded server every update reads the whole collection, and under heavy
// traffic hundreds of alerts grow at each checkpoint (in the ingest bench,
// 157 updates over two checkpoints cost 1.2 s of the server's time). An
// alert's document catches up once, when it leaves the set; readers overlay
// the set on the documents (withLiveFields). Only the checkpoint writer
// changes these fields; people change status and history in the documents.
import type { Binary, Db } from "mongodb";
import { packedJsonText, packJson } from "@/lib/platform/db/packed-json";
import { indexAlerts } from "./alert-index";
import { restoreRecordedChanges } from "./change-records";
import { alertsCollection, LIVE_FIELDS, type Alert, type LiveField, type WorkingAlert } from "./alert-record";

/** Every alert that ends at or after `since`, with its live fields as they stand. */
export type ActiveAlerts = { since: Date; alerts: WorkingAlert[] };

/** Alerts kept at most; beyond that the earliest-ending leave first (bounds the state document). */
export const MAX_ACTIVE_ALERTS = 5_000;

const WORKING_PROJECTION = {
  _id: 1,
  type: 1,
  ip: 1,
  user: 1,
  subject_key: 1,
  suppressed_by: 1,
  ...Object.fromEntries(LIVE_FIELDS.map((field) => [field, 1])),
};

export function packActiveAlerts(alerts: WorkingAlert[]): Binary {
  return packJson(alerts);
}

export function unpackActiveAlerts(packed: Binary): WorkingAlert[] {
  const alerts = JSON.parse(packedJsonText(packed)) as (Omit<WorkingAlert, "start" | "end" | "updated_at"> &
    Record<"start" | "end" | "updated_at", string>)[];
  return alerts.map((alert) => ({
    ...alert,
    start: new Date(alert.start),
    end: new Date(alert.end),
    updated_at: new Date(alert.updated_at),
  }));
}

/** The alerts with the live fields detection last gave them. */
export function withLiveFields<T extends Pick<Alert, "_id">>(alerts: T[], active: ActiveAlerts | null): T[] {
  return alerts.map(liveFieldsOverlay(active));
}

/** Gives each alert passed to it the live fields detection last gave it. */
export function liveFieldsOverlay(active: ActiveAlerts | null): <T extends Pick<Alert, "_id">>(alert: T) => T {
  const live = new Map(active?.alerts.map((alert) => [alert._id, alert]));
  return (alert) => {
    const current = live.get(alert._id);
    return current ? { ...alert, ...liveFieldsOf(current) } : alert;
  };
}

/** The alert as detection works on it, its document up to date. */
export function workingAlertOf(alert: Omit<WorkingAlert, "unsaved">): WorkingAlert {
  const { _id, type, ip, user, subject_key, suppressed_by } = alert;
  return {
    _id,
    type,
    ip,
    user,
    subject_key,
    ...(suppressed_by !== undefined && { suppressed_by }),
    ...liveFieldsOf(alert),
    unsaved: false,
  };
}

export function liveFieldsOf(alert: Pick<Alert, LiveField>): Pick<Alert, LiveField> {
  const { start, end, count, log_ids, severity, explanation, updated_at } = alert;
  return { start, end, count, log_ids, severity, explanation, updated_at };
}

/**
 * Every alert ending at or after `since` as it stands, and from when the
 * result is complete (`coveredFrom`, at or before `since`): from the active
 * set alone when it reaches back that far, else from the collection too.
 */
export async function alertsEndingSince(
  db: Db,
  since: Date,
  active: ActiveAlerts | null,
): Promise<{ alerts: WorkingAlert[]; coveredFrom: Date }> {
  const copies = (active?.alerts ?? []).map((alert) => ({ ...alert, log_ids: [...alert.log_ids] }));
  if (active && since >= active.since) return { alerts: copies, coveredFrom: active.since };
  const stored = await alertsCollection(db)
    .find({ end: { $gte: since } }, { projection: WORKING_PROJECTION })
    .toArray();
  const byId = new Map(stored.map((alert) => [alert._id, workingAlertOf(alert)]));
  for (const alert of copies) byId.set(alert._id, alert);
  return { alerts: [...byId.values()], coveredFrom: active && active.since < since ? active.since : since };
}

/**
 * Splits the alerts after a checkpoint: those ending at or after the new
 * `since` stay active, the rest leave (to be written back when unsaved).
 * `since` never moves back (a backfill would otherwise pull in old alerts),
 * and never before what the alerts are complete from.
 */
export function nextActiveAlerts(
  alerts: WorkingAlert[],
  { coveredFrom, horizon, previous }: { coveredFrom: Date; horizon: Date; previous: Date | null },
): { active: ActiveAlerts; leaving: WorkingAlert[] } {
  let since = Math.max(coveredFrom.getTime(), horizon.getTime(), previous?.getTime() ?? -Infinity);
  const ends = alerts.map((alert) => alert.end.getTime()).filter((end) => end >= since);
  if (ends.length > MAX_ACTIVE_ALERTS) since = ends.sort((a, b) => b - a)[MAX_ACTIVE_ALERTS - 1]!;
  const stay = (alert: WorkingAlert) => alert.end.getTime() >= since;
  return {
    active: { since: new Date(since), alerts: alerts.filter(stay) },
    leaving: alerts.filter((alert) => !stay(alert)),
  };
}

/** Writes back the live fields of those of `alerts` whose documents lag behind (the ones leaving the active set, at a checkpoint). */
export async function saveLaggingAlerts(db: Db, alerts: WorkingAlert[]): Promise<void> {
  // One update per alert: FerretDB v1.24 hangs on an update command carrying
  // about a hundred statements (10 take 13 ms, 100 never answer;
  // each statement holds a pooled connection until the command ends, of 100).
  const saved: Alert[] = [];
  for (const alert of alerts) {
    if (!alert.unsaved) continue;
    const stored = await writeLiveFields(db, alert);
    if (stored) saved.push(stored);
  }
  await indexAlerts(db, saved);
}

const MAX_WRITE_ATTEMPTS = 3;

/**
 * Writes the live fields and checks they stuck: a person changing the
 * alert's status meanwhile rewrites the whole document on the embedded
 * server, which can put back the fields read before this write; and this
 * write can put back a status, which the recorded changes restore.
 */
async function writeLiveFields(db: Db, alert: WorkingAlert): Promise<Alert | null> {
  const fields = liveFieldsOf(alert);
  let stored: Alert | null = null;
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    await alertsCollection(db).updateOne({ _id: alert._id }, { $set: fields });
    stored = await alertsCollection(db).findOne({ _id: alert._id });
    if (stored) stored = await restoreRecordedChanges(db, stored);
    if (!stored || JSON.stringify(liveFieldsOf(stored)) === JSON.stringify(fields)) return stored;
  }
  return stored;
}
