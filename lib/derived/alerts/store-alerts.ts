import type { Db } from "mongodb";
import { isOnlyDuplicateKeyErrors } from "@/lib/platform/db/errors";
import { indexAlerts, startAlertIndexIfEmpty } from "./alert-index";
import { alertsCollection, type Alert } from "./alert-record";

/** Inserts alerts and their index rows; one already there was inserted by an earlier run of the same derivation (or tool). */
export async function storeAlerts(db: Db, alerts: readonly Alert[]): Promise<void> {
  if (alerts.length === 0) return;
  await startAlertIndexIfEmpty(db);
  try {
    await alertsCollection(db).insertMany([...alerts], { ordered: false });
  } catch (error) {
    if (!isOnlyDuplicateKeyErrors(error)) throw error;
  }
  await indexAlerts(db, alerts);
}
