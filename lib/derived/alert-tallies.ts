// Alerts per type and severity in the rollups, counted in the quarter each
// alert starts in. Detection creates alerts and also changes existing ones
// (a higher severity, an earlier start), so a checkpoint's contribution is the
// difference between the alerts it may touch before and after detection. The
// "before" is stored first under the checkpoint's number, so a writer that
// finishes a crashed derivation compares against the same state.
import type { Db } from "mongodb";
import { alertsCollection, type Alert } from "@/lib/alerts/alerts";
import { detectAtCheckpoint, readCarriedLogs } from "@/lib/alerts/detect";
import type { DetectionConfig } from "@/lib/anomaly";
import { COLLECTIONS } from "@/lib/db/collections";
import { isDuplicateKeyError } from "@/lib/db/errors";
import type { LogSummary } from "@/lib/logs/summaries";
import type { Contributions } from "@/lib/rollups/rollups";

type CountedAlert = Pick<Alert, "_id" | "type" | "severity" | "start">;
type AlertSnapshot = { _id: number; since: Date; alerts: CountedAlert[] };

const COUNTED = { projection: { _id: 1, type: 1, severity: 1, start: 1 } } as const;

function snapshots(db: Db) {
  return db.collection<AlertSnapshot>(COLLECTIONS.alertSnapshots);
}

/** Runs detection for the checkpoint and adds the alerts it created or changed to `contributions`; returns the alerts created. */
export async function detectAndTally(db: Db, checkpoint: number, logs: LogSummary[], config: DetectionConfig, contributions: Contributions): Promise<Alert[]> {
  const earliest = await earliestEvent(db, logs);
  // Without events detection changes nothing.
  if (!earliest) return detectAtCheckpoint(db, checkpoint, logs, config);
  const before = await snapshotBefore(db, checkpoint, earliest, config.windowMs);
  const created = await detectAtCheckpoint(db, checkpoint, logs, config);
  const after = await alertsCollection(db).find({ end: { $gte: before.since } }, COUNTED).toArray();
  const previous = new Map(before.alerts.map((alert) => [alert._id, alert]));
  for (const alert of after) {
    const old = previous.get(alert._id);
    previous.delete(alert._id);
    if (old && old.type === alert.type && old.severity === alert.severity && old.start.getTime() === alert.start.getTime()) continue;
    if (old) contributions.addAlert(old.start, old.type, old.severity, -1);
    contributions.addAlert(alert.start, alert.type, alert.severity, 1);
  }
  // Detection never deletes alerts; one gone from the snapshot was deleted by hand.
  for (const old of previous.values()) contributions.addAlert(old.start, old.type, old.severity, -1);
  return created;
}

export async function dropAlertSnapshots(db: Db, through: number): Promise<void> {
  await snapshots(db).deleteMany({ _id: { $lte: through } });
}

/**
 * The alerts detection may change: a finding starts no earlier than the
 * earliest event it sees, and extends only alerts that end within the merge
 * gap (the window) before it.
 */
async function snapshotBefore(db: Db, checkpoint: number, earliest: Date, windowMs: number): Promise<AlertSnapshot> {
  const stored = await snapshots(db).findOne({ _id: checkpoint });
  if (stored) return stored;
  const since = new Date(earliest.getTime() - windowMs);
  const snapshot = { _id: checkpoint, since, alerts: await alertsCollection(db).find({ end: { $gte: since } }, COUNTED).toArray() };
  try {
    await snapshots(db).insertOne(snapshot);
    return snapshot;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    return (await snapshots(db).findOne({ _id: checkpoint })) ?? snapshot;
  }
}

async function earliestEvent(db: Db, logs: LogSummary[]): Promise<Date | null> {
  let earliest = Infinity;
  for (const log of [...logs, ...(await readCarriedLogs(db))]) earliest = Math.min(earliest, log.time.getTime());
  return earliest === Infinity ? null : new Date(earliest);
}
