// The HMAC keyring: secrets by key id, parsed from LEDGERLINE_HMAC_KEYS.
// Invariant: no error message, JSON form or inspect output holds secret material.
import { randomBytes } from "node:crypto";
import { KEY_ID, parseKeyList } from "./key-list";

export const KEYS_VAR = "LEDGERLINE_HMAC_KEYS";
export const ACTIVE_KEY_VAR = "LEDGERLINE_HMAC_ACTIVE_KEY";
export const MIN_SECRET_BYTES = 32;

// One alphabet per secret (standard or URL-safe), optional padding. Buffer's
// decoder skips characters it does not know, so the check has to come first.
const BASE64 = /^(?:[A-Za-z0-9+/]+|[A-Za-z0-9_-]+)={0,2}$/;

export type Keyring = {
  readonly activeKeyId: string;
  get(keyId: string): Buffer | undefined;
  keyIds(): string[];
};

export class KeyringError extends Error {
  override name = "KeyringError";
}

class SecretKeyring implements Keyring {
  readonly #secrets: ReadonlyMap<string, Buffer>;

  constructor(
    readonly activeKeyId: string,
    secrets: ReadonlyMap<string, Buffer>,
  ) {
    this.#secrets = secrets;
    Object.freeze(this);
  }

  /** A copy, so a caller cannot change the keyring's secret. */
  get(keyId: string): Buffer | undefined {
    const secret = typeof keyId === "string" ? this.#secrets.get(keyId) : undefined;
    return secret && Buffer.from(secret);
  }

  keyIds(): string[] {
    return [...this.#secrets.keys()];
  }

  toJSON() {
    return { activeKeyId: this.activeKeyId, keyIds: this.keyIds() };
  }

  [Symbol.for("nodejs.util.inspect.custom")]() {
    return `Keyring { activeKeyId: '${this.activeKeyId}', keyIds: [${this.keyIds()
      .map((id) => `'${id}'`)
      .join(", ")}] }`;
  }
}

/** Parses `id:secret,id:secret` (base64 or base64url secrets of at least 32 bytes). */
export function parseKeyring(keysVar: string | undefined, activeKeyId: string | undefined): Keyring {
  if (keysVar === undefined || keysVar.trim() === "") {
    throw new KeyringError(
      `${KEYS_VAR} is not set. It holds the HMAC keys that sign every log, as "keyId:base64secret" entries separated by commas. ` +
        `Run \`npm run quickstart\` to write one into .env.local, or \`npm run keys -- generate\` to print a new one.`,
    );
  }
  const { active, keys } = parseKeyList(keysVar, activeKeyId, {
    variable: KEYS_VAR,
    activeVariable: ACTIVE_KEY_VAR,
    entryForm: "keyId:secret",
    error: (message) => new KeyringError(message),
    decode: decodeSecret,
  });
  return new SecretKeyring(active, keys);
}

function decodeSecret(encoded: string, named: string): Buffer {
  if (!isBase64(encoded)) throw new KeyringError(`${named}: the secret is not valid base64 or base64url`);
  const secret = Buffer.from(encoded, "base64");
  if (secret.length < MIN_SECRET_BYTES) {
    throw new KeyringError(
      `${named}: the secret decodes to ${secret.length} bytes, at least ${MIN_SECRET_BYTES} are needed`,
    );
  }
  return secret;
}

function isBase64(encoded: string): boolean {
  if (!BASE64.test(encoded)) return false;
  const padded = encoded.endsWith("=");
  const unpaddedLength = encoded.replace(/=+$/, "").length;
  return padded ? encoded.length % 4 === 0 : unpaddedLength % 4 !== 1;
}

/** A new `keyId:secret` entry with 32 random bytes, for .env.local. */
export function generateKeySpec(keyId: string): string {
  if (!KEY_ID.test(keyId)) throw new KeyringError(`key id must be 1-32 letters, digits, '_' or '-'`);
  return `${keyId}:${randomBytes(MIN_SECRET_BYTES).toString("base64url")}`;
}
