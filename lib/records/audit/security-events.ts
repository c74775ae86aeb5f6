// Ledgerline's own security events (sign-ins, key and user changes, ...) go
// into its own signed log with source "ledgerline", through the same ingest
// path as any service's, so the same integrity checks and detection rules
// cover them.
import type { Db } from "mongodb";
import { getConfig } from "@/lib/foundation/config";
import { getKeyring } from "@/lib/records/integrity/active-keyring";
import { ingestLogs } from "@/lib/records/logs/ingest";
import { AUDIT_SOURCE, INGESTED_BY_LEDGERLINE } from "@/lib/records/logs/provenance";
import type { LogInput } from "@/lib/records/logs/schemas";

export type SecurityEvent = {
  action: string;
  status: "success" | "failed";
  /** Who acted (or tried to): an email, an API key name, "cli". */
  user: string;
  ip?: string;
  message?: string;
  metadata?: Record<string, string | number | boolean>;
};

/** Who performed an administrative action: a user's email, or "cli" for the npm scripts. */
export type Actor = { user: string; ip?: string };
export const CLI_ACTOR: Actor = { user: "cli", ip: "127.0.0.1" };

export async function recordSecurityEvent(db: Db, event: SecurityEvent): Promise<void> {
  await recordSecurityEvents(db, [event]);
}

/** Several events in one batch (a bulk change records one per thing it changed). */
export async function recordSecurityEvents(db: Db, events: readonly SecurityEvent[]): Promise<void> {
  if (events.length === 0) return;
  const logs = events.map((event): LogInput => ({
    ...(event.ip !== undefined && { ip: event.ip }),
    user: event.user,
    action: event.action,
    status: event.status,
    source: AUDIT_SOURCE,
    ...(event.message !== undefined && { message: event.message }),
    ...(event.metadata !== undefined && { metadata: event.metadata }),
  }));
  await ingestLogs(db, logs, {
    keyring: getKeyring(),
    maxFutureSkewMs: getConfig().ingestMaxFutureSkewMs,
    ingestedBy: INGESTED_BY_LEDGERLINE,
  });
}
