import type { Db } from "mongodb";
import { AUDIT_SOURCE } from "@/lib/audit/security-events";
import { logsCollection } from "./collection";
import { findByIds } from "@/lib/db/find-by-ids";
import { readFreshTail } from "@/lib/dashboard/fresh-tail";
import { matchingEntries, readWholeLayout } from "@/lib/search/read";
import { logPageQuery, pageReadOrder, toPage, type LogPage } from "./cursor";
import type { LogFilter } from "./filters";
import type { StoredLog } from "./record";
import type { LogSummary } from "./summaries";

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

/**
 * One page of the logs a filter matches, in its sort order, and the cursor of
 * the next page. The search layout decides which logs match; the rows are the
 * records, so an edited log shows its edit (and fails its MAC) and a deleted
 * one does not show. Without a whole layout (a database from before it, until
 * it is derived) the logs collection is queried instead.
 */
export async function findLogPage(db: Db, filter: LogFilter): Promise<LogPage<StoredLog>> {
  const tail = await readFreshTail(db);
  const layout = await readWholeLayout(db);
  if (!layout) {
    const { query, sort, limit } = logPageQuery(filter);
    return toPage(await logsCollection(db).find(query).sort(sort).limit(limit + 1).toArray(), filter);
  }
  const { sort, cursor } = pageReadOrder(filter);
  const wanted = filter.limit + 1;
  const rows: StoredLog[] = [];
  let pending: LogSummary[] = [];
  for await (const entry of matchingEntries(db, filter, { direction: sort, ...(cursor && { after: cursor }) }, layout, tail)) {
    pending.push(entry);
    if (rows.length + pending.length < wanted) continue;
    rows.push(...(await recordsOf(db, pending)));
    pending = [];
    if (rows.length >= wanted) break;
  }
  rows.push(...(await recordsOf(db, pending)));
  return toPage(rows.slice(0, wanted), filter);
}

/** The stored logs of `entries`, in their order; a log no longer stored is left out. */
async function recordsOf(db: Db, entries: LogSummary[]): Promise<StoredLog[]> {
  if (entries.length === 0) return [];
  const stored = await findByIds(logsCollection(db), entries.map((entry) => entry.log_id));
  return entries.flatMap((entry) => stored.get(entry.log_id) ?? []);
}
