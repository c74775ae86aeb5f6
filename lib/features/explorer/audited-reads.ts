// The reads a person or an API key makes of single pages and logs, each
// recorded in Ledgerline's own log (aggregated: lib/records/audit/access-audit.ts).
import type { Db } from "mongodb";
import { auditLogView, auditSearch } from "@/lib/records/audit/access-audit";
import type { Actor } from "@/lib/records/audit/security-events";
import type { Keyring } from "@/lib/records/integrity/keyring";
import type { PublicKeySet } from "@/lib/records/integrity/checkpoint-keys";
import type { LogPage } from "@/lib/records/logs/log-page";
import type { LogFilter } from "@/lib/records/logs/filters";
import { getLogDetail, type LogDetail } from "@/lib/records/logs/log-detail";
import type { StoredLog } from "@/lib/records/logs/record";
import { findLogPage } from "./log-pages";

/** One page of the explorer (GET /api/logs or /logs), recorded with its filter and the rows shown. */
export async function searchLogPage(
  db: Db,
  filter: LogFilter,
  actor: Actor,
  via: "api" | "page",
): Promise<LogPage<StoredLog>> {
  const page = await findLogPage(db, filter);
  auditSearch(actor, filter, page.items.length, via);
  return page;
}

/** One log with its integrity, recorded as viewed when it exists. */
export async function viewLogDetail(
  db: Db,
  logId: string,
  actor: Actor,
  keys: { keyring: Keyring; publicKeys: PublicKeySet },
): Promise<LogDetail | null> {
  const detail = await getLogDetail(db, logId, keys);
  if (detail) auditLogView(actor, logId);
  return detail;
}
