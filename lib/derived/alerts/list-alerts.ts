// The alert list's reads: every alert's row from the alert index (a few
// packed documents, alert-index.ts) with the live fields of the alerts
// detection still extends, then filtered, counted, sorted, grouped and paged
// in memory (list-rows.ts); the alerts of one page are then read by id.
import type { Db } from "mongodb";
import { z } from "zod";
import { findByIds } from "@/lib/platform/db/find-by-ids";
import { withLiveFields } from "./active-alerts";
import { readAlertRows } from "./alert-index";
import { rowOf, withLiveRowFields, type AlertRow } from "./alert-rows";
import { ALERT_STATUSES, alertsCollection, type Alert } from "./alert-record";
import { readActiveAlerts } from "./detection-state";
import type { AlertFilter, AlertListParams } from "./list-params";
import { pageGroups, pageRows, selectRows, type AlertGroup, type StatusCounts } from "./list-rows";

export const AlertStatusName = z.enum(ALERT_STATUSES, { message: `must be one of ${ALERT_STATUSES.join(", ")}` });

/**
 * Every alert's row as it stands. Without a complete index (a database from
 * before it, until `npm run db:derive` rebuilds it) the rows come from the
 * alerts themselves: the same answer, at the cost of reading every alert.
 */
export async function readListRows(db: Db): Promise<{ rows: AlertRow[]; isIndexed: boolean }> {
  const [indexed, active] = await Promise.all([readAlertRows(db), readActiveAlerts(db)]);
  const rows =
    indexed ??
    (
      await alertsCollection(db)
        .find({}, { projection: { log_ids: 0, explanation: 0 } })
        .toArray()
    ).map(rowOf);
  const live = new Map(active?.alerts.map((alert) => [alert._id, alert]));
  return { rows: rows.map((row) => withLiveRowFields(row, live.get(row.id))), isIndexed: indexed !== null };
}

export type AlertList = {
  /** The page's rows, or its groups when the query groups by subject. */
  rows: AlertRow[];
  groups?: AlertGroup[];
  next_cursor: string | null;
  /** Alerts matching the filters, of the status asked for, and of each status. */
  total: number;
  counts: StatusCounts;
  isIndexed: boolean;
  /** When the rows were read (epoch ms): what the alerts' ages count to. */
  readAt: number;
};

export async function listAlerts(db: Db, query: AlertListParams): Promise<AlertList> {
  const readAt = Date.now();
  const { rows: all, isIndexed } = await readListRows(db);
  const { rows, counts } = selectRows(all, query);
  if (query.group) {
    const { groups, next_cursor } = pageGroups(rows, { ...query, group: query.group });
    return {
      rows: groups.flatMap((group) => group.rows),
      groups,
      next_cursor,
      total: rows.length,
      counts,
      isIndexed,
      readAt,
    };
  }
  const { rows: page, next_cursor } = pageRows(rows, query);
  return { rows: page, next_cursor, total: rows.length, counts, isIndexed, readAt };
}

/** The ids of every alert the filter selects (for a bulk change by filter). */
export async function selectAlertIds(db: Db, filter: AlertFilter): Promise<string[]> {
  return selectRows((await readListRows(db)).rows, filter).rows.map((row) => row.id);
}

/** The alerts stored under `ids`, in that order, with their live fields; ids without an alert are left out. */
export async function findAlerts(db: Db, ids: readonly string[]): Promise<Alert[]> {
  const [found, active] = await Promise.all([findByIds(alertsCollection(db), ids), readActiveAlerts(db)]);
  return withLiveFields(
    ids.flatMap((id) => found.get(id) ?? []),
    active,
  );
}
