import type { Db } from "mongodb";
import { AUDIT_SOURCE } from "@/lib/audit/security-events";
import { logsCollection } from "./collection";

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
