import { getKeyring } from "@/lib/records/integrity/active-keyring";
import { verifyLogMac } from "@/lib/records/integrity/mac";
import { signedFieldsOf, type StoredLog } from "@/lib/records/logs/record";
import type { LogRow } from "./LogTable";

/** Stored logs as the log table shows them, each with its MAC verdict (server only: it reads the keyring). */
export function logRowsOf(
  logs: readonly StoredLog[],
  nameIngestedBy: (ingestedBy: string | undefined) => string,
): LogRow[] {
  const keyring = getKeyring();
  return logs.map((log) => ({
    log_id: log._id,
    time: log.time.toISOString(),
    status: log.status,
    user: log.user,
    ip: log.ip ?? undefined,
    action: log.action,
    source: log.source ?? undefined,
    message: log.message ?? undefined,
    ingested_by: log.ingested_by ?? undefined,
    ingested_by_label: nameIngestedBy(log.ingested_by ?? undefined),
    verdict: verifyLogMac({ ...signedFieldsOf(log), mac: log.mac }, keyring),
  }));
}
