// The original (Flask) project's per-log proof: log_hash is the hex
// HMAC-SHA256, keyed with its secret (as UTF-8), over the plain concatenation
// log_id + timestamp + ip + user + action + status, exactly as written in its
// CSV export. Its own checker skipped logs without a log_id; so do we.
import { createHmac, timingSafeEqual } from "node:crypto";

export const LEGACY_VERDICTS = ["verified", "mismatched", "not_checkable", "unchecked"] as const;
export type LegacyVerdict = (typeof LEGACY_VERDICTS)[number];

export type LegacyHashedFields = {
  log_id: string;
  timestamp: string;
  ip: string;
  user: string;
  action: string;
  status: string;
  log_hash: string;
};

const HEX = /^[0-9a-fA-F]+$/;

/** `unchecked` without a key; `not_checkable` without a log_id; else whether log_hash matches (hex in either case). */
export function checkLegacyHash(fields: LegacyHashedFields, key: string | undefined): LegacyVerdict {
  if (key === undefined) return "unchecked";
  if (fields.log_id === "") return "not_checkable";
  const expected = legacyHash(fields, key);
  const given = fields.log_hash.trim();
  if (!HEX.test(given) || given.length !== expected.length * 2) return "mismatched";
  return timingSafeEqual(expected, Buffer.from(given, "hex")) ? "verified" : "mismatched";
}

export function legacyHash(fields: Omit<LegacyHashedFields, "log_hash">, key: string): Buffer {
  const message = fields.log_id + fields.timestamp + fields.ip + fields.user + fields.action + fields.status;
  return createHmac("sha256", key).update(message, "utf8").digest();
}

/** Metadata keys an imported legacy log carries; `legacy_hash` holds the verdict, so only an import may set it. */
export const LEGACY_METADATA = { verdict: "legacy_hash", id: "legacy_id", hash: "legacy_log_hash" } as const;

/** The verdict key in metadata that did not come from checking a legacy hash on import: refused from anyone else. */
export function forgedVerdictProblem(metadata: unknown): { field: string; message: string } | undefined {
  if (metadata === null || typeof metadata !== "object" || !(LEGACY_METADATA.verdict in metadata)) return undefined;
  return {
    field: `metadata.${LEGACY_METADATA.verdict}`,
    message: "is set only by the import of the original project's CSV",
  };
}
