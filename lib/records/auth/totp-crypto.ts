// TOTP secrets are stored encrypted (AES-256-GCM, bound to their user's id)
// and recovery codes only as keyed hashes, both under keys derived from
// LEDGERLINE_TOTP_KEY: a copy of the database (or a backup) yields neither.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, randomInt } from "node:crypto";
import { ConfigError, getConfig } from "@/lib/foundation/config";
import { RECOVERY_CODE_ALPHABET, RECOVERY_CODE_LENGTH } from "./totp-schemas";

const CIPHER = "aes-256-gcm";
const IV_BYTES = 12;

export function isTotpAvailable(): boolean {
  return getConfig().totpKey !== undefined;
}

function derivedKey(purpose: string): Buffer {
  const key = getConfig().totpKey;
  if (!key)
    throw new ConfigError(
      "LEDGERLINE_TOTP_KEY is not set: run `npm run quickstart`, or set 32+ random characters in .env.local",
    );
  return Buffer.from(hkdfSync("sha256", key, "", `ledgerline ${purpose}`, 32));
}

/** "iv.tag.ciphertext", each base64url; the user id is authenticated with it, so a secret moved to another account does not open. */
export function sealTotpSecret(userId: string, secret: Uint8Array): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, derivedKey("totp secret"), iv).setAAD(Buffer.from(userId));
  const sealed = Buffer.concat([cipher.update(secret), cipher.final()]);
  return [iv, cipher.getAuthTag(), sealed].map((part) => part.toString("base64url")).join(".");
}

/** Throws when the value was altered, moved from another user, or sealed under another key. */
export function openTotpSecret(userId: string, sealed: string): Uint8Array {
  const [iv, tag, data] = sealed.split(".").map((part) => Buffer.from(part, "base64url"));
  if (!iv || !tag || !data) throw new Error("malformed sealed TOTP secret");
  const decipher = createDecipheriv(CIPHER, derivedKey("totp secret"), iv).setAAD(Buffer.from(userId)).setAuthTag(tag);
  return new Uint8Array(Buffer.concat([decipher.update(data), decipher.final()]));
}

/** A code in its compact form (no dashes, upper case) as stored; per user, so equal codes of two users differ. */
export function hashRecoveryCode(userId: string, code: string): string {
  return createHmac("sha256", derivedKey("recovery codes")).update(`${userId}\n${code}`).digest("base64url");
}

export function newRecoveryCodes(count: number): string[] {
  return Array.from({ length: count }, () =>
    Array.from(
      { length: RECOVERY_CODE_LENGTH },
      () => RECOVERY_CODE_ALPHABET[randomInt(RECOVERY_CODE_ALPHABET.length)],
    ).join(""),
  );
}

/** "ABCD-EFGH-JKLM-NPQR": easier to copy by hand; the dashes are ignored when it is typed back. */
export function formatRecoveryCode(code: string): string {
  return code.match(/.{1,4}/g)!.join("-");
}
