// The number of open alerts without reading the alerts: every alert is
// created open, and counted (per type and severity) in the rollups' "all"
// document by the derivation that created it, or created suppressed and not
// counted; people then close, reopen (a suppressed one too) and resolve
// alerts only through recorded changes (lifecycle.ts), a collection that
// grows with human actions, not with logs.
import type { Db } from "mongodb";
import { COLLECTIONS } from "@/lib/platform/db/collections";
import { latestDerivedMark } from "@/lib/derived/derivation/derive";
import { readAllTime } from "@/lib/derived/rollups/read";
import { countOpenAlerts, type AlertStatus } from "./alert-record";

type RecordedChange = { from: AlertStatus; status: AlertStatus };

/** `complete` is false until `npm run db:rollups` has counted alerts stored before the rollups were; the count is then read from the alerts. */
export async function openAlertCount(db: Db): Promise<{ count: number; complete: boolean }> {
  const allTime = await readAllTime(db);
  // Before the first derived checkpoint there is nothing to miss.
  if (!allTime?.complete)
    return { count: await countOpenAlerts(db), complete: !allTime && !(await latestDerivedMark(db)) };
  const created = allTime.alerts.reduce((sum, tally) => sum + tally.n, 0);
  // Alerts stored by hand rather than by detection are not counted until the next rebuild.
  return {
    count: Math.max(created - (await closedByRecordedChanges(db)) - (allTime.open_offset ?? 0), 0),
    complete: true,
  };
}

/** Alerts that left open (acknowledged or resolved) minus alerts made open (reopened, or a suppressed one opened), by the recorded status changes. */
export async function closedByRecordedChanges(db: Db): Promise<number> {
  let closed = 0;
  const changes = db
    .collection<RecordedChange>(COLLECTIONS.alertChanges)
    .find({}, { projection: { _id: 0, from: 1, status: 1 } });
  for await (const change of changes) {
    if (change.from === "open" && change.status !== "open") closed++;
    else if (change.from !== "open" && change.status === "open") closed--;
  }
  return closed;
}
