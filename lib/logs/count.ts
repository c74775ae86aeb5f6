import type { Db } from "mongodb";
import { logsCollection } from "./collection";
import type { LogCriteria } from "./filters";
import { logFilterQuery } from "./query";

/** How many logs the criteria match (a full scan on the embedded server: render it after the first page). */
export async function countLogs(db: Db, criteria: LogCriteria): Promise<number> {
  return logsCollection(db).countDocuments(logFilterQuery(criteria));
}
