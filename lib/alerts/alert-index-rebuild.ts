// Rebuilds the alert index from the stored alerts (npm run db:derive, a
// restore). Run it with the app stopped: detection saving an alert between
// this read and its write would be overwritten by the older fields.
import type { Db } from "mongodb";
import { dropAlertIndex, indexRows, markAlertIndexComplete } from "./alert-index";
import { rowOf, type AlertRow } from "./alert-rows";
import { alertsCollection } from "./alerts";

const FLUSH_ROWS = 5_000;

export type AlertIndexRebuildResult = { alerts: number };

export async function rebuildAlertIndex(db: Db): Promise<AlertIndexRebuildResult> {
  await dropAlertIndex(db);
  let rows: AlertRow[] = [];
  let alerts = 0;
  for await (const alert of alertsCollection(db).find({}, { projection: { log_ids: 0, explanation: 0, subject_key: 0 } })) {
    rows.push(rowOf(alert));
    alerts++;
    if (rows.length >= FLUSH_ROWS) {
      await indexRows(db, rows);
      rows = [];
    }
  }
  await indexRows(db, rows);
  await markAlertIndexComplete(db);
  return { alerts };
}
