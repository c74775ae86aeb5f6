// The status changes people made, one insert-only record per change under
// the natural _id "<alert id>:<n>": of two people changing the same alert at
// once, only one can insert change n, on the embedded server too, where
// updates are read-modify-write. The records are the truth an alert's
// status and history are written from.
import type { Db } from "mongodb";
import { COLLECTIONS } from "@/lib/platform/db/collections";
import { alertsCollection, type Alert, type AlertChange, type AlertStatus } from "./alert-record";

export type AlertChangeRecord = AlertChange & { _id: string; alert_id: string; from: AlertStatus };

export function changeRecords(db: Db) {
  return db.collection<AlertChangeRecord>(COLLECTIONS.alertChanges);
}

export function changeRecordId(alertId: string, n: number): string {
  return `${alertId}:${n}`;
}

/** The same fields in the same order, so that $addToSet sees a repeated change as the same value. */
export function changeOf({
  status,
  by,
  at,
  note,
}: {
  status: AlertStatus;
  by: string;
  at: Date;
  note?: string;
}): AlertChange {
  return { status, by, at, ...(note && { note }) };
}

export async function writeChange(db: Db, id: string, change: AlertChange): Promise<void> {
  await alertsCollection(db).updateOne(
    { _id: id },
    { $set: { status: change.status, updated_at: change.at }, $addToSet: { history: change } },
  );
}

/**
 * Writes back the recorded changes the stored alert lacks: another writer's
 * whole-document update on the embedded server can put back the alert as it
 * was before a change. Returns the alert as it then stands.
 */
export async function restoreRecordedChanges(db: Db, stored: Alert): Promise<Alert> {
  let alert = stored;
  for (
    let record = await changeRecords(db).findOne({ _id: changeRecordId(alert._id, alert.history.length + 1) });
    record;
  ) {
    await writeChange(db, alert._id, changeOf(record));
    const reread = await alertsCollection(db).findOne({ _id: alert._id });
    if (!reread || reread.history.length <= alert.history.length) return reread ?? alert;
    alert = reread;
    record = await changeRecords(db).findOne({ _id: changeRecordId(alert._id, alert.history.length + 1) });
  }
  return alert;
}
