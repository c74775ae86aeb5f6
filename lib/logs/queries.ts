import type { Db } from "mongodb";
import { AUDIT_SOURCE } from "@/lib/audit/security-events";
import { logsCollection } from "./collection";
import { logPageQuery, toPage, type LogPage } from "./cursor";
import type { LogFilter } from "./filters";
import type { StoredLog } from "./record";

export type LogStoreState = "empty" | "has_logs" | "unavailable";

/**
 * Whether any service has sent a log yet (Ledgerline's own audit events do
 * not count), or the database cannot be reached right now.
 */
export async function getLogStoreState(db: Db | Promise<Db>): Promise<LogStoreState> {
  try {
    const anyLog = await logsCollection(await db).findOne({ source: { $ne: AUDIT_SOURCE } }, { projection: { _id: 1 } });
    return anyLog ? "has_logs" : "empty";
  } catch {
    return "unavailable";
  }
}

/** One page of the logs a filter matches, in its sort order, and the cursor of the next page. */
export async function findLogPage(db: Db, filter: LogFilter): Promise<LogPage<StoredLog>> {
  const { query, sort, limit } = logPageQuery(filter);
  const rows = await logsCollection(db).find(query).sort(sort).limit(limit + 1).toArray();
  return toPage(rows, filter);
}
