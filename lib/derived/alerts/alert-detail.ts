// One alert as its detail page shows it: read by id (the one lookup the
// embedded server answers without a scan) with the live fields detection
// last gave it.
import type { Db } from "mongodb";
import { z } from "zod";
import { withLiveFields } from "./active-alerts";
import { alertsCollection, type Alert } from "./alert-record";
import { readActiveAlerts } from "./detection-state";

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The id in an alert's address: merge-findings.ts names alerts in the shape of a UUID. */
export const AlertId = z
  .string()
  .regex(UUID_SHAPE, "is not an alert id: alert ids look like 2b0c6e1d-4f7a-9c3e-81d2-5a6b7c8d9e0f");

/** The alert as it stands, null for an id no alert has. */
export async function getAlert(db: Db, id: string): Promise<Alert | null> {
  const [alert, active] = await Promise.all([alertsCollection(db).findOne({ _id: id }), readActiveAlerts(db)]);
  return alert && withLiveFields([alert], active)[0]!;
}
