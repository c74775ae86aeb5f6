// Alerts per type and severity in the rollups, counted in the quarter each
// alert starts in. Detection creates alerts and also changes existing ones
// (a higher severity, an earlier start), so a checkpoint's contribution is the
// difference between the alerts it may touch before and after detection. The
// "before" is stored first under the checkpoint's number, so a writer that
// finishes a crashed derivation compares against the same state. Alerts
// created suppressed are not counted (the open count is the tallies less the
// recorded changes: lib/derived/alerts/open-count.ts), whatever people make of them later.
import type { Binary, Db } from "mongodb";
import type { WorkingAlert } from "@/lib/derived/alerts/alert-record";
import { alertsCollection, type Alert } from "@/lib/derived/alerts/alert-record";
import { detectAtCheckpoint, type DetectedCheckpoint } from "@/lib/derived/alerts/detect";
import type { DetectionConfig } from "@/lib/records/anomaly";
import { COLLECTIONS } from "@/lib/platform/db/collections";
import { packedJsonText, packJson } from "@/lib/platform/db/packed-json";
import { isDuplicateKeyError } from "@/lib/platform/db/errors";
import { findByIds } from "@/lib/platform/db/find-by-ids";
import type { LogSummary } from "@/lib/records/logs/summaries";
import type { Contributions } from "@/lib/derived/rollups/period-docs";

type CountedAlert = Pick<Alert, "_id" | "type" | "severity" | "start">;
// Packed (lib/platform/db/packed-json.ts); a snapshot left by a derivation that crashed before packing holds an array.
type AlertSnapshot = { _id: number; alerts: Binary | CountedAlert[] };

function snapshots(db: Db) {
  return db.collection<AlertSnapshot>(COLLECTIONS.alertSnapshots);
}

/** Runs detection for the checkpoint and adds the alerts it created or changed to `contributions`; returns the alerts created. */
export async function detectAndTally(
  db: Db,
  checkpoint: DetectedCheckpoint,
  logs: LogSummary[],
  config: DetectionConfig,
  contributions: Contributions,
  assertWriter: () => void,
): Promise<Alert[]> {
  let before: CountedAlert[] = [];
  const { created, after } = await detectAtCheckpoint(db, checkpoint, logs, config, async (alerts) => {
    assertWriter();
    before = await snapshotBefore(db, checkpoint.number, alerts.filter(isTallied).map(counted));
    assertWriter();
  });
  const tallied = after.filter(isTallied);
  const previous = new Map(before.map((alert) => [alert._id, alert]));
  for (const alert of [...tallied.map(counted), ...(await settledSince(db, before, tallied))]) {
    const old = previous.get(alert._id);
    previous.delete(alert._id);
    if (
      old &&
      old.type === alert.type &&
      old.severity === alert.severity &&
      old.start.getTime() === alert.start.getTime()
    )
      continue;
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

/** Whether the rollups count the alert: detection created it open. */
export function isTallied(alert: Pick<Alert, "suppressed_by">): boolean {
  return alert.suppressed_by === undefined;
}

function counted({ _id, type, severity, start }: CountedAlert): CountedAlert {
  return { _id, type, severity, start };
}

async function snapshotBefore(db: Db, checkpoint: number, alerts: CountedAlert[]): Promise<CountedAlert[]> {
  const stored = await snapshots(db).findOne({ _id: checkpoint });
  if (stored) return snapshotAlerts(stored);
  try {
    await snapshots(db).insertOne({ _id: checkpoint, alerts: packJson(alerts) });
    return alerts;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const winner = await snapshots(db).findOne({ _id: checkpoint });
    return winner ? snapshotAlerts(winner) : alerts;
  }
}

function snapshotAlerts({ alerts }: AlertSnapshot): CountedAlert[] {
  if (Array.isArray(alerts)) return alerts;
  return (JSON.parse(packedJsonText(alerts)) as (Omit<CountedAlert, "start"> & { start: string })[]).map((alert) => ({
    ...alert,
    start: new Date(alert.start),
  }));
}

/**
 * Snapshot alerts detection no longer holds: only when finishing a crashed
 * derivation, whose first run already let them settle into their documents.
 */
async function settledSince(db: Db, before: CountedAlert[], after: WorkingAlert[]): Promise<CountedAlert[]> {
  const held = new Set(after.map((alert) => alert._id));
  const missing = before.filter((alert) => !held.has(alert._id)).map((alert) => alert._id);
  if (missing.length === 0) return [];
  const found = await findByIds(alertsCollection(db), missing, {
    projection: { _id: 1, type: 1, severity: 1, start: 1 },
  });
  return [...found.values()];
}
