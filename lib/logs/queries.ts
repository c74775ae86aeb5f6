import type { Db } from "mongodb";
import { logsCollection } from "./collection";

export type LogStoreState = "empty" | "has_logs" | "unavailable";

/** Whether any log is stored, or the database cannot be reached right now. */
export async function getLogStoreState(db: Db | Promise<Db>): Promise<LogStoreState> {
  try {
    const anyLog = await logsCollection(await db).findOne({}, { projection: { _id: 1 } });
    return anyLog ? "has_logs" : "empty";
  } catch {
    return "unavailable";
  }
}
