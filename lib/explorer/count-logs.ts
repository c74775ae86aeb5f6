import type { Db } from "mongodb";
import { searchLogs } from "@/lib/search/read";
import { logsCollection } from "@/lib/logs/collection";
import type { LogCriteria } from "@/lib/logs/filters";
import { logFilterQuery } from "@/lib/logs/query";

/**
 * How many logs the criteria match, counted in the search layout over the
 * hours the window covers (a log deleted from the record outside retention
 * still counts there). Without a whole layout, a count over the logs
 * collection: a full scan on the embedded server, so render it after the page.
 */
export async function countLogs(db: Db, criteria: LogCriteria): Promise<number> {
  const entries = await searchLogs(db, criteria, { direction: "desc" });
  if (!entries) return logsCollection(db).countDocuments(logFilterQuery(criteria));
  let count = 0;
  for await (const _entry of entries) count++;
  return count;
}
