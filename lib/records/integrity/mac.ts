// Per-log MAC: HMAC-SHA256 over the canonical encoding, keyed by key id so that
// logs signed before a key rotation still verify.
import { createHmac, timingSafeEqual } from "node:crypto";
import { withEncodedLog, type SignedLogFields } from "./canonical";
import type { Keyring } from "./keyring";
import { logLeafHashOfEncoded } from "./merkle";

export type MacVerdict = "valid" | "tampered" | "unverifiable";

const MAC_HEX = /^[0-9a-f]{64}$/;

/**
 * Signs with the active key, and returns the log's Merkle leaf hash too (from
 * the same canonical bytes, encoded once); throws if the fields cannot be encoded.
 */
export function signLog(
  fields: Omit<SignedLogFields, "key_id">,
  keyring: Keyring,
): { key_id: string; mac: string; leaf: Buffer } {
  const key_id = keyring.activeKeyId;
  const secret = keyring.get(key_id);
  if (!secret) throw new Error(`the active key id "${key_id}" is not in the keyring`);
  return withEncodedLog(fields, key_id, (encoded) => ({
    key_id,
    mac: createHmac("sha256", secret).update(encoded.canonical).digest("hex"),
    leaf: logLeafHashOfEncoded(encoded),
  }));
}

/**
 * Never throws for anything read from the database: a MAC or field of the wrong
 * shape is `tampered`; a key id the keyring does not hold is `unverifiable`.
 */
export function verifyLogMac(stored: SignedLogFields & { mac: unknown }, keyring: Keyring): MacVerdict {
  const keyId: unknown = stored.key_id;
  if (typeof keyId !== "string") return "tampered";
  const secret = keyring.get(keyId);
  if (!secret) return "unverifiable";
  if (typeof stored.mac !== "string" || !MAC_HEX.test(stored.mac)) return "tampered";
  let expected: Buffer;
  try {
    expected = computeMac(stored, secret);
  } catch {
    return "tampered";
  }
  return timingSafeEqual(expected, Buffer.from(stored.mac, "hex")) ? "valid" : "tampered";
}

function computeMac(fields: SignedLogFields, secret: Buffer): Buffer {
  return withEncodedLog(fields, fields.key_id, (encoded) =>
    createHmac("sha256", secret).update(encoded.canonical).digest(),
  );
}
