import type { Db } from "mongodb";
import { AUDIT_SOURCE } from "@/lib/records/logs/provenance";
import { logsCollection } from "@/lib/records/logs/collection";
import { findByIds } from "@/lib/platform/db/find-by-ids";
import { searchLogs, type EntryOrder } from "@/lib/derived/search/read";
import { logPageQuery, pageReadOrder, toPage, type LogPage } from "@/lib/records/logs/log-page";
import type { LogCriteria, LogFilter } from "@/lib/records/logs/filters";
import type { StoredLog } from "@/lib/records/logs/record";
import type { LogSummary } from "@/lib/records/logs/summaries";

export type LogStoreState = "empty" | "has_logs" | "unavailable";

/**
 * Whether any service has sent a log yet (Ledgerline's own audit events do
 * not count), or the database cannot be reached right now.
 */
export async function getLogStoreState(db: Db | Promise<Db>): Promise<LogStoreState> {
  try {
    const anyLog = await logsCollection(await db).findOne(
      { source: { $ne: AUDIT_SOURCE } },
      { projection: { _id: 1 } },
    );
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
  const wanted = filter.limit + 1;
  const { sort, cursor } = pageReadOrder(filter);
  const records = await matchingRecords(db, filter, { direction: sort, ...(cursor && { after: cursor }) }, wanted);
  if (!records) {
    const { query, sort: order, limit } = logPageQuery(filter);
    return toPage(
      await logsCollection(db)
        .find(query)
        .sort(order)
        .limit(limit + 1)
        .toArray(),
      filter,
    );
  }
  const rows: StoredLog[] = [];
  for await (const log of records) if (rows.push(log) >= wanted) break;
  return toPage(rows, filter);
}

/**
 * The records of the logs the criteria match, in `order`, looked up by log_id
 * `chunk` at a time as the search layout lists them (a log no longer stored is
 * left out); null without a whole layout. `readAhead` (for a reader that wants
 * them all) looks the next chunk up while the caller handles this one.
 */
export async function matchingRecords(
  db: Db,
  criteria: LogCriteria,
  order: EntryOrder,
  chunk: number,
  readAhead = false,
): Promise<AsyncGenerator<StoredLog> | null> {
  const entries = await searchLogs(db, criteria, order);
  return entries && recordsOf(db, entries, chunk, readAhead);
}

async function* recordsOf(
  db: Db,
  entries: AsyncIterable<LogSummary>,
  chunk: number,
  readAhead: boolean,
): AsyncGenerator<StoredLog> {
  const lookUp = async (ids: string[]) => {
    const stored = await findByIds(logsCollection(db), ids);
    return ids.flatMap((id) => (stored.has(id) ? [stored.get(id)!] : []));
  };
  let ahead: Promise<StoredLog[]> | undefined;
  let pending: string[] = [];
  try {
    for await (const entry of entries) {
      if (pending.push(entry.log_id) < chunk) continue;
      const next = lookUp(pending);
      pending = [];
      if (ahead) yield* await ahead;
      if (readAhead) ahead = next;
      else yield* await next;
    }
    if (ahead) yield* await ahead;
    ahead = undefined;
    yield* await lookUp(pending);
  } finally {
    // Closed early (a full page): a lookup still under way finishes unread.
    ahead?.catch(() => undefined);
  }
}
