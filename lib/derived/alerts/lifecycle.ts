// People move alerts through open → acknowledged → resolved (and reopen
// resolved ones, or reopen or resolve suppressed ones), one at a time or many
// in one request; each change names who made it and when, in the alert's
// history, the alert index and Ledgerline's own signed log.
import type { Db } from "mongodb";
import { z } from "zod";
import { recordSecurityEvents, type Actor, type SecurityEvent } from "@/lib/records/audit/security-events";
import { duplicateIndexesOf, isDuplicateKeyError } from "@/lib/platform/db/errors";
import { findByIds } from "@/lib/platform/db/find-by-ids";
import { ApiError } from "@/lib/platform/http/errors";
import { forEachConcurrently } from "@/lib/foundation/util/concurrently";
import { withLiveFields } from "./active-alerts";
import { indexStatuses } from "./alert-index";
import { alertsCollection, type Alert, type AlertChange, type AlertStatus } from "./alert-record";
import { changeOf, changeRecordId, changeRecords, writeChange } from "./change-records";
import { readActiveAlerts } from "./detection-state";
import { AlertFilter } from "./list-params";
import { selectAlertIds } from "./list-alerts";
import { CHOSEN_STATUSES, isAllowedTransition, MAX_NOTE_LENGTH, type ChosenStatus } from "./transitions";

const StatusName = z.enum(CHOSEN_STATUSES, { message: `must be one of ${CHOSEN_STATUSES.join(", ")}` });
const Note = z.string().trim().max(MAX_NOTE_LENGTH, `must be at most ${MAX_NOTE_LENGTH} characters`).optional();

export const AlertStatusChange = z.strictObject({ status: StatusName, note: Note });
export type AlertStatusChange = z.infer<typeof AlertStatusChange>;

/**
 * The most alerts one request changes: each costs four writes and reads on
 * the embedded server (its change record, its document, a check, its audit
 * log): 1,000 take 2.5 s on 2 quiet cores and 7 s on busy ones.
 */
export const MAX_BULK_ALERTS = 1_000;
const TOO_MANY = `at most ${MAX_BULK_ALERTS} alerts at once; narrow the filter or send several requests`;

/** A change of many alerts: the ids given, or every alert a filter of the list selects (as GET /api/alerts does). */
export const AlertBulkChange = z
  .strictObject({
    ids: z
      .array(z.string().min(1, "must not hold an empty id").max(200, "must hold ids of at most 200 characters"))
      .min(1, "must name at least one alert")
      .max(MAX_BULK_ALERTS, TOO_MANY)
      .optional(),
    filter: AlertFilter.optional(),
    status: StatusName,
    note: Note,
  })
  .superRefine(({ ids, filter }, ctx) => {
    if ((ids === undefined) === (filter === undefined))
      ctx.addIssue({ code: "custom", message: "give either ids or filter", path: ["ids"] });
  });
export type AlertBulkChange = z.infer<typeof AlertBulkChange>;

/** The alerts a bulk change by filter names; 400 naming `filter` when they are more than one request may change. */
export async function alertIdsMatching(db: Db, filter: AlertFilter): Promise<string[]> {
  const ids = await selectAlertIds(db, filter);
  if (ids.length > MAX_BULK_ALERTS) {
    const message = `matches ${ids.length} alerts; ${TOO_MANY}`;
    throw new ApiError("validation_failed", `filter ${message}`, [{ field: "filter", message }]);
  }
  return ids;
}

/** An alert a change left as it was, and why. */
export type RefusedChange = { id: string; code: "not_found" | "conflict"; message: string; status?: AlertStatus };
export type StatusChangeResult = { changed: Alert[]; refused: RefusedChange[] };

const AUDIT_ACTIONS: Record<ChosenStatus, string> = {
  acknowledged: "alert_acknowledged",
  resolved: "alert_resolved",
  open: "alert_reopened",
};
const MAX_WRITE_ATTEMPTS = 3;
/** Alerts written at once: the embedded server's pool holds 100 connections. */
const IN_FLIGHT = 16;
const SAME_MOMENT = "Someone else changed this alert at the same moment; reload the page and try again.";

/** Changes the alert's status; 404 for an unknown id, 409 for a change the lifecycle does not allow or that someone else made first. */
export async function changeAlertStatus(
  db: Db,
  id: string,
  status: ChosenStatus,
  actor: Actor,
  note?: string,
  now = new Date(),
): Promise<Alert> {
  const { changed, refused } = await changeAlertStatuses(db, [id], status, actor, note, now);
  const problem = refused[0];
  if (problem) throw new ApiError(problem.code, problem.message, problem.status && { status: problem.status });
  return changed[0]!;
}

/**
 * Changes the status of every alert named that allows it, each exactly as a
 * change of one alert would (history, index, audit); the others are returned
 * as refused, with the reason.
 */
export async function changeAlertStatuses(
  db: Db,
  ids: readonly string[],
  status: ChosenStatus,
  actor: Actor,
  note?: string,
  now = new Date(),
): Promise<StatusChangeResult> {
  const unique = [...new Set(ids)];
  if (unique.length > MAX_BULK_ALERTS)
    throw new ApiError("validation_failed", `ids: ${TOO_MANY}`, [{ field: "ids", message: TOO_MANY }]);
  const found = await findByIds(alertsCollection(db), unique);
  const refused: RefusedChange[] = [];
  const allowed: Alert[] = [];
  for (const id of unique) {
    const alert = found.get(id);
    if (!alert) refused.push({ id, code: "not_found", message: "No alert has this id." });
    else if (!isAllowedTransition(alert.status, status)) {
      refused.push({
        id,
        code: "conflict",
        message: `This alert is ${alert.status}; it cannot become ${status}.`,
        status: alert.status,
      });
    } else allowed.push(alert);
  }
  const change = changeOf({ status, by: actor.user, at: now, note });
  const recorded = await insertChangeRecords(db, allowed, change);
  for (const alert of recorded.lost) refused.push({ id: alert._id, code: "conflict", message: SAME_MOMENT });

  const stored: Alert[] = [];
  await forEachConcurrently(
    recorded.won,
    IN_FLIGHT,
    async (alert) => void stored.push(await applyChange(db, alert._id, change)),
  );
  const order = new Map(unique.map((id, index) => [id, index]));
  stored.sort((a, b) => order.get(a._id)! - order.get(b._id)!);
  await indexStatuses(db, stored);
  await recordSecurityEvents(
    db,
    recorded.won.map((alert) => auditEvent(alert, status, actor, note)),
  );
  return { changed: withLiveFields(stored, await readActiveAlerts(db)), refused };
}

/** Inserts change n+1 of each alert; `lost` are those whose change n+1 someone else recorded first (which is then made to show). */
async function insertChangeRecords(
  db: Db,
  alerts: Alert[],
  change: AlertChange,
): Promise<{ won: Alert[]; lost: Alert[] }> {
  const records = alerts.map((alert) => ({
    _id: changeRecordId(alert._id, alert.history.length + 1),
    alert_id: alert._id,
    from: alert.status,
    ...change,
  }));
  if (records.length === 0) return { won: [], lost: [] };
  let failed = new Set<number>();
  try {
    await changeRecords(db).insertMany(records, { ordered: false });
  } catch (error) {
    const indexes = duplicateIndexesOf(error) ?? (isDuplicateKeyError(error) && records.length === 1 ? [0] : undefined);
    if (!indexes) throw error;
    failed = new Set(indexes);
  }
  const lost = alerts.filter((_, index) => failed.has(index));
  // Those changes were accepted; make sure the alerts show them even if their writers stopped before writing them.
  await forEachConcurrently(lost, IN_FLIGHT, async (alert) => {
    const accepted = await changeRecords(db).findOne({ _id: changeRecordId(alert._id, alert.history.length + 1) });
    if (accepted) await indexStatuses(db, [await applyChange(db, alert._id, changeOf(accepted))]);
  });
  return { won: alerts.filter((_, index) => !failed.has(index)), lost };
}

/**
 * Writes the change into the alert (idempotently), checking it stuck: the
 * checkpoint writer may extend the same alert meanwhile, and on the embedded
 * server the later of two writes replaces the whole document.
 */
async function applyChange(db: Db, id: string, change: AlertChange): Promise<Alert> {
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    await writeChange(db, id, change);
    const stored = await alertsCollection(db).findOne({ _id: id });
    if (!stored) throw new ApiError("not_found", "No alert has this id.");
    if (stored.history.some((entry) => entry.at.getTime() === change.at.getTime() && entry.by === change.by))
      return stored;
  }
  throw new Error(`the status change of alert ${id} did not persist after ${MAX_WRITE_ATTEMPTS} attempts`);
}

function auditEvent(alert: Alert, status: ChosenStatus, actor: Actor, note?: string): SecurityEvent {
  return {
    ...actor,
    action: AUDIT_ACTIONS[status],
    status: "success",
    message: `Alert ${alert.type} ${subjectText(alert)}: ${alert.status} → ${status}${note ? ` (${note})` : ""}`,
    metadata: { alert_id: alert._id, alert_type: alert.type, from: alert.status, to: status },
  };
}

function subjectText(alert: Pick<Alert, "ip" | "user" | "source">): string {
  return [alert.ip && `ip ${alert.ip}`, alert.user && `user ${alert.user}`, alert.source && `source ${alert.source}`]
    .filter(Boolean)
    .join(", ");
}
