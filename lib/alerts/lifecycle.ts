// People move alerts through open → acknowledged → resolved (and reopen
// resolved ones, or reopen or resolve suppressed ones); each change names who made it and when, in the alert's
// history and in Ledgerline's own signed log.
import type { Db } from "mongodb";
import { z } from "zod";
import { recordSecurityEvent, type Actor } from "@/lib/audit/security-events";
import { COLLECTIONS } from "@/lib/db/collections";
import { isDuplicateKeyError } from "@/lib/db/errors";
import { ApiError } from "@/lib/http/errors";
import { withLiveFields } from "./active-alerts";
import { alertsCollection, type Alert, type AlertChange, type AlertStatus } from "./alerts";
import { readActiveAlerts } from "./detection-state";
import { CHOSEN_STATUSES, isAllowedTransition, MAX_NOTE_LENGTH, type ChosenStatus } from "./transitions";

export const AlertStatusChange = z.strictObject({
  status: z.enum(CHOSEN_STATUSES, { message: `must be one of ${CHOSEN_STATUSES.join(", ")}` }),
  note: z.string().trim().max(MAX_NOTE_LENGTH, `must be at most ${MAX_NOTE_LENGTH} characters`).optional(),
});
export type AlertStatusChange = z.infer<typeof AlertStatusChange>;

/**
 * The n-th change of an alert, insert-only under the natural _id "<alert id>:<n>":
 * of two people changing the same alert at once, only one can insert change n,
 * on the embedded server too, where updates are read-modify-write.
 */
type AlertChangeRecord = AlertChange & { _id: string; alert_id: string; from: AlertStatus };

function changeRecords(db: Db) {
  return db.collection<AlertChangeRecord>(COLLECTIONS.alertChanges);
}

const AUDIT_ACTIONS: Record<ChosenStatus, string> = { acknowledged: "alert_acknowledged", resolved: "alert_resolved", open: "alert_reopened" };
const MAX_WRITE_ATTEMPTS = 3;

/** Changes the alert's status; 404 for an unknown id, 409 for a change the lifecycle does not allow or that someone else made first. */
export async function changeAlertStatus(db: Db, id: string, status: ChosenStatus, actor: Actor, note?: string, now = new Date()): Promise<Alert> {
  const alert = await alertsCollection(db).findOne({ _id: id });
  if (!alert) throw new ApiError("not_found", "No alert has this id.");
  if (!isAllowedTransition(alert.status, status)) {
    throw new ApiError("conflict", `This alert is ${alert.status}; it cannot become ${status}.`, { status: alert.status });
  }
  const change = changeOf({ status, by: actor.user, at: now, note });
  const recordId = `${id}:${alert.history.length + 1}`;
  try {
    await changeRecords(db).insertOne({ _id: recordId, alert_id: id, from: alert.status, ...change });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    // That change was accepted; make sure the alert shows it even if its writer stopped before writing it.
    const accepted = await changeRecords(db).findOne({ _id: recordId });
    if (accepted) await applyChange(db, id, changeOf(accepted));
    throw new ApiError("conflict", "Someone else changed this alert at the same moment; reload the page and try again.");
  }
  const updated = await applyChange(db, id, change);
  await recordSecurityEvent(db, {
    ...actor,
    action: AUDIT_ACTIONS[status],
    status: "success",
    message: `Alert ${alert.type} ${subjectText(alert)}: ${alert.status} → ${status}${note ? ` (${note})` : ""}`,
    metadata: { alert_id: id, alert_type: alert.type, from: alert.status, to: status },
  });
  return updated;
}

/** The same fields in the same order, so that $addToSet sees a repeated change as the same value. */
function changeOf({ status, by, at, note }: { status: AlertStatus; by: string; at: Date; note?: string }): AlertChange {
  return { status, by, at, ...(note && { note }) };
}

/**
 * Writes the change into the alert (idempotently), checking it stuck: the
 * checkpoint writer may extend the same alert meanwhile, and on the embedded
 * server the later of two writes replaces the whole document.
 */
async function applyChange(db: Db, id: string, change: AlertChange): Promise<Alert> {
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    await alertsCollection(db).updateOne({ _id: id }, { $set: { status: change.status, updated_at: change.at }, $addToSet: { history: change } });
    const stored = await alertsCollection(db).findOne({ _id: id });
    if (!stored) throw new ApiError("not_found", "No alert has this id.");
    if (stored.history.some((entry) => entry.at.getTime() === change.at.getTime() && entry.by === change.by)) {
      return withLiveFields([stored], await readActiveAlerts(db))[0]!;
    }
  }
  throw new Error(`the status change of alert ${id} did not persist after ${MAX_WRITE_ATTEMPTS} attempts`);
}

function subjectText(alert: Pick<Alert, "ip" | "user" | "source">): string {
  return [alert.ip && `ip ${alert.ip}`, alert.user && `user ${alert.user}`, alert.source && `source ${alert.source}`].filter(Boolean).join(", ");
}
