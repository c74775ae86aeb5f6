// Rebuilds the alert index from the stored alerts (npm run db:derive, a
// restore, and at start-up when a database has alerts from before the
// index). Safe while the app runs: the index is dropped first, so a row
// found while rebuilding was written since, from an alert at least as new as
// the one read here, and stays (with the later status of the two).
import type { Db } from "mongodb";
import { dropAlertIndex, isAlertIndexComplete, markAlertIndexComplete, updateDays } from "./alert-index";
import { rowOf, withLaterStatus, type AlertRow } from "./alert-rows";
import { alertsCollection } from "./alert-record";

const FLUSH_ROWS = 5_000;

export type AlertIndexRebuildResult = { alerts: number };

export async function rebuildAlertIndex(db: Db): Promise<AlertIndexRebuildResult> {
  await dropAlertIndex(db);
  let rows: AlertRow[] = [];
  let alerts = 0;
  for await (const alert of alertsCollection(db).find(
    {},
    { projection: { log_ids: 0, explanation: 0, subject_key: 0 } },
  )) {
    rows.push(rowOf(alert));
    alerts++;
    if (rows.length >= FLUSH_ROWS) {
      await addRows(db, rows);
      rows = [];
    }
  }
  await addRows(db, rows);
  await markAlertIndexComplete(db);
  return { alerts };
}

/** Builds the index once, for a database whose alerts came before it; null when it was complete. */
export async function upgradeAlertIndex(db: Db): Promise<AlertIndexRebuildResult | null> {
  return (await isAlertIndexComplete(db)) ? null : rebuildAlertIndex(db);
}

async function addRows(db: Db, rows: AlertRow[]): Promise<void> {
  await updateDays(db, rows, (day, read) => {
    for (const row of read) {
      const written = day.get(row.id);
      day.set(row.id, written ? withLaterStatus(written, row) : row);
    }
  });
}
