// Which alerts to list: GET /api/alerts's parameters (status, a time range
// the alert's window overlaps, finding types) and the reads behind it and the
// /anomalies page. Alerts are few (one per subject and window), so each read
// is one bounded query, plus one by id of the alerts detection still extends.
import type { Db, Filter } from "mongodb";
import { z } from "zod";
import { findByIds } from "@/lib/db/find-by-ids";
import { ANOMALY_QUERY_FIELDS, checkAnomalyRange } from "@/lib/anomaly/query";
import type { FindingType } from "@/lib/anomaly";
import { withLiveFields } from "./active-alerts";
import { ALERT_STATUSES, alertsCollection, type Alert, type AlertStatus } from "./alerts";
import { readActiveAlerts } from "./detection-state";

export const ALERT_LIST_LIMIT = { default: 200, max: 500 } as const;

export const AlertStatusName = z.enum(ALERT_STATUSES, { message: `must be one of ${ALERT_STATUSES.join(", ")}` });

export const AlertQuery = z
  .strictObject({
    ...ANOMALY_QUERY_FIELDS,
    status: AlertStatusName.optional(),
    limit: z.coerce
      .number({ message: `must be a whole number from 1 to ${ALERT_LIST_LIMIT.max}` })
      .int(`must be a whole number from 1 to ${ALERT_LIST_LIMIT.max}`)
      .min(1, `must be a whole number from 1 to ${ALERT_LIST_LIMIT.max}`)
      .max(ALERT_LIST_LIMIT.max, `must be a whole number from 1 to ${ALERT_LIST_LIMIT.max}`)
      .optional(),
  })
  .superRefine(checkAnomalyRange);
export type AlertQuery = z.infer<typeof AlertQuery>;

export type AlertCriteria = { statuses?: readonly AlertStatus[]; from?: Date; to?: Date; types?: readonly FindingType[] };

/**
 * Alerts matching every criterion given (the window overlapping [from, to]),
 * latest window end first, as they stand: the documents of alerts detection
 * still extends may lag behind (active-alerts.ts), and such an alert may
 * match only with its live fields, so those are read by id as well.
 */
export async function listAlerts(db: Db, criteria: AlertCriteria, limit: number = ALERT_LIST_LIMIT.default): Promise<Alert[]> {
  const filter: Filter<Alert> = {};
  if (criteria.statuses) filter.status = { $in: [...criteria.statuses] };
  if (criteria.types) filter.type = { $in: [...criteria.types] };
  const active = await readActiveAlerts(db);
  const byTime = { ...(criteria.from && { end: { $gte: criteria.from } }), ...(criteria.to && { start: { $lte: criteria.to } }) };
  const activeIds = active?.alerts.map((alert) => alert._id) ?? [];
  const [settled, activeById] = await Promise.all([
    alertsCollection(db).find({ ...filter, ...byTime }).sort({ end: -1, _id: 1 }).limit(limit).toArray(),
    findByIds(alertsCollection(db), activeIds),
  ]);
  const live = [...activeById.values()].filter(
    (alert) => (!criteria.statuses || criteria.statuses.includes(alert.status)) && (!criteria.types || criteria.types.includes(alert.type)),
  );
  const unique = new Map([...settled, ...live].map((alert) => [alert._id, alert]));
  return withLiveFields([...unique.values()], active)
    .filter((alert) => (!criteria.from || alert.end >= criteria.from) && (!criteria.to || alert.start <= criteria.to))
    .sort((a, b) => b.end.getTime() - a.end.getTime() || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0))
    .slice(0, limit);
}

export function criteriaOf(query: AlertQuery): AlertCriteria {
  return {
    ...(query.status && { statuses: [query.status] }),
    ...(query.from && { from: query.from }),
    ...(query.to && { to: query.to }),
    ...(query.type && { types: query.type }),
  };
}

/** How many resolved alerts the unfiltered page lists after the open and acknowledged ones. */
export const RECENT_RESOLVED = 50;

/**
 * The /anomalies page's alerts: those of one status, or the open and
 * acknowledged ones then the latest resolved ones; `isTruncated` when the
 * limit left some out.
 */
export async function findAlertsForPage(db: Db, status?: AlertStatus): Promise<{ alerts: Alert[]; isTruncated: boolean }> {
  const read = async (statuses: AlertStatus[], limit: number) => {
    const alerts = await listAlerts(db, { statuses }, limit + 1);
    return { alerts: alerts.slice(0, limit), isTruncated: alerts.length > limit };
  };
  if (status) return read([status], ALERT_LIST_LIMIT.default);
  const active = await read(["open", "acknowledged"], ALERT_LIST_LIMIT.default);
  const resolved = await read(["resolved"], RECENT_RESOLVED);
  return { alerts: [...active.alerts, ...resolved.alerts], isTruncated: active.isTruncated || resolved.isTruncated };
}
