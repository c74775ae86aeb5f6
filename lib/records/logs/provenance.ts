// Who stored a log: `ingested_by`, signed with the log and shown in its leaf,
// so a filtered export proves a left-out log was stored by someone else.
// Set by the server from how the log arrived, never taken from the client.
import { z } from "zod";

/** Ledgerline's own writes: its self-audit log. */
export const INGESTED_BY_LEDGERLINE = "ledgerline";
/** The source of Ledgerline's own security events (lib/records/audit/security-events.ts). */
export const AUDIT_SOURCE = "ledgerline";

const KEY_PREFIX = "key:";

/** A log sent to the ingestion API with this API key. */
export function ingestedByKey(apiKeyId: string): string {
  return `${KEY_PREFIX}${apiKeyId}`;
}

/** The API key id an `ingested_by` names, or undefined when an upload, a script or Ledgerline stored the log. */
export function apiKeyIdOf(ingestedBy: string): string | undefined {
  return ingestedBy.startsWith(KEY_PREFIX) ? ingestedBy.slice(KEY_PREFIX.length) : undefined;
}

/** A file uploaded on the settings page by this user. */
export function ingestedByUpload(email: string): string {
  return `import:${email}`;
}

/** A log written by an npm script (import, seed, ...). */
export function ingestedByCli(command: string): string {
  return `cli:${command}`;
}

export const INGESTED_BY_MAX_LENGTH = 300;

/** Who an export or backup line says stored its log: one of the forms above. */
export const IngestedBy = z
  .string()
  .max(INGESTED_BY_MAX_LENGTH, `must be at most ${INGESTED_BY_MAX_LENGTH} characters`)
  .regex(
    /^(ledgerline|(key|import|cli):[^\p{Cc}]+)$/u,
    "must be 'ledgerline', or 'key:', 'import:' or 'cli:' followed by a name",
  );
