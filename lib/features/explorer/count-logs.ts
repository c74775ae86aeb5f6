import type { Db } from "mongodb";
import { searchLogs } from "@/lib/derived/search/read";
import { logsCollection } from "@/lib/records/logs/collection";
import type { LogCriteria } from "@/lib/records/logs/filters";
import { logFilterQuery } from "@/lib/records/logs/criteria-query";

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
