// Ed25519 keys that sign checkpoints, parsed from LEDGERLINE_CHECKPOINT_KEYS,
// and the public key set that anyone can verify them with, offline.
// Invariant: no error message, JSON form or inspect output holds private key material.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import { z } from "zod";
import { KEY_ID, parseKeyList } from "./key-list";

export const CHECKPOINT_KEYS_VAR = "LEDGERLINE_CHECKPOINT_KEYS";
export const CHECKPOINT_ACTIVE_KEY_VAR = "LEDGERLINE_CHECKPOINT_ACTIVE_KEY";

// Buffer's decoder skips characters it does not know, so the check has to come first.
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const PUBLIC_KEY_PEM = /^-----BEGIN PUBLIC KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END PUBLIC KEY-----\r?\n?$/;
const SIGNATURE_BYTES = 64;

export type PublicKeyInfo = { key_id: string; pem: string; active: boolean };
export type SignatureVerdict = "valid" | "invalid" | "unknown_key";

export type CheckpointSigner = {
  readonly activeKeyId: string;
  /** Signs with the active key; the signature is base64url. */
  sign(data: Buffer): { key_id: string; signature: string };
  publicKeys(): PublicKeyInfo[];
};

export type PublicKeySet = {
  keys(): PublicKeyInfo[];
  /** Never throws: a signature of the wrong form is `invalid`. */
  verify(data: Buffer, keyId: string, signature: string): SignatureVerdict;
};

export class CheckpointKeyError extends Error {
  override name = "CheckpointKeyError";
}

class Ed25519PublicKeySet implements PublicKeySet {
  readonly #publicKeys: ReadonlyMap<string, KeyObject>;
  readonly #infos: readonly PublicKeyInfo[];

  constructor(publicKeys: ReadonlyMap<string, KeyObject>, activeKeyId: string | undefined) {
    this.#publicKeys = publicKeys;
    this.#infos = [...publicKeys].map(([key_id, key]) => ({
      key_id,
      pem: publicPem(key),
      active: key_id === activeKeyId,
    }));
    Object.freeze(this);
  }

  keys(): PublicKeyInfo[] {
    return this.#infos.map((info) => ({ ...info }));
  }

  verify(data: Buffer, keyId: string, signature: string): SignatureVerdict {
    const key = typeof keyId === "string" ? this.#publicKeys.get(keyId) : undefined;
    if (!key) return "unknown_key";
    const bytes = decodeSignature(signature);
    if (!bytes || !Buffer.isBuffer(data)) return "invalid";
    try {
      return verify(null, data, key, bytes) ? "valid" : "invalid";
    } catch {
      return "invalid";
    }
  }

  toJSON() {
    return { keys: this.keys() };
  }
}

class Ed25519Signer implements CheckpointSigner {
  readonly #privateKeys: ReadonlyMap<string, KeyObject>;
  readonly #publicKeys: PublicKeySet;

  constructor(
    readonly activeKeyId: string,
    privateKeys: ReadonlyMap<string, KeyObject>,
  ) {
    this.#privateKeys = privateKeys;
    this.#publicKeys = new Ed25519PublicKeySet(
      new Map([...privateKeys].map(([id, key]) => [id, createPublicKey(key)])),
      activeKeyId,
    );
    Object.freeze(this);
  }

  sign(data: Buffer): { key_id: string; signature: string } {
    const key = this.#privateKeys.get(this.activeKeyId)!;
    return { key_id: this.activeKeyId, signature: sign(null, data, key).toString("base64url") };
  }

  publicKeys(): PublicKeyInfo[] {
    return this.#publicKeys.keys();
  }

  toJSON() {
    return { activeKeyId: this.activeKeyId, keyIds: [...this.#privateKeys.keys()] };
  }

  [Symbol.for("nodejs.util.inspect.custom")]() {
    const ids = [...this.#privateKeys.keys()].map((id) => `'${id}'`).join(", ");
    return `CheckpointSigner { activeKeyId: '${this.activeKeyId}', keyIds: [${ids}] }`;
  }
}

// Only the canonical spelling is accepted, so one signature has one text form.
function decodeSignature(signature: unknown): Buffer | undefined {
  if (typeof signature !== "string" || !BASE64URL.test(signature)) return undefined;
  const bytes = Buffer.from(signature, "base64url");
  return bytes.length === SIGNATURE_BYTES && bytes.toString("base64url") === signature ? bytes : undefined;
}

function publicPem(key: KeyObject): string {
  return key.export({ type: "spki", format: "pem" }).toString();
}

/** Parses `id:base64url(PKCS#8 DER)` entries separated by commas; the active key is the named one or the first. */
export function parseCheckpointKeys(keysVar: string | undefined, activeKeyId: string | undefined): CheckpointSigner {
  if (keysVar === undefined || keysVar.trim() === "") {
    throw new CheckpointKeyError(
      `${CHECKPOINT_KEYS_VAR} is not set. It holds the Ed25519 keys that sign integrity checkpoints, ` +
        `as "keyId:key" entries separated by commas, each key a base64url PKCS#8 DER private key. ` +
        "Run `npm run quickstart` to write one into .env.local.",
    );
  }
  const { active, keys } = parseKeyList(keysVar, activeKeyId, {
    variable: CHECKPOINT_KEYS_VAR,
    activeVariable: CHECKPOINT_ACTIVE_KEY_VAR,
    entryForm: "keyId:key",
    error: (message) => new CheckpointKeyError(message),
    decode: decodePrivateKey,
  });
  return new Ed25519Signer(active, keys);
}

function decodePrivateKey(encoded: string, named: string): KeyObject {
  if (!BASE64URL.test(encoded)) throw new CheckpointKeyError(`${named}: the key is not valid unpadded base64url`);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(encoded, "base64url"), format: "der", type: "pkcs8" });
  } catch {
    // The crypto error is dropped: it is not ours to promise it never quotes the input.
    throw new CheckpointKeyError(`${named}: the key is not a PKCS#8 DER private key`);
  }
  if (key.asymmetricKeyType !== "ed25519") {
    throw new CheckpointKeyError(
      `${named}: the key is ${key.asymmetricKeyType ?? "of an unknown type"}, an Ed25519 key is needed`,
    );
  }
  return key;
}

/** A new `keyId:key` entry holding a fresh Ed25519 private key, for .env.local. */
export function generateCheckpointKeySpec(keyId: string): string {
  if (!KEY_ID.test(keyId)) throw new CheckpointKeyError(`key id must be 1-32 letters, digits, '_' or '-'`);
  const { privateKey } = generateKeyPairSync("ed25519");
  return `${keyId}:${privateKey.export({ format: "der", type: "pkcs8" }).toString("base64url")}`;
}

const PublicKeySetJson = z.object({
  keys: z
    .array(
      z.object({
        key_id: z.string().regex(KEY_ID, "must be 1-32 letters, digits, '_' or '-'"),
        pem: z.string(),
        active: z.boolean(),
      }),
    )
    .min(1, "must list at least one key"),
});

/** Reads the JSON that GET /api/integrity/public-key serves: `{ keys: [{ key_id, pem, active }] }`. */
export function publicKeySetFromJson(json: unknown): PublicKeySet {
  const parsed = PublicKeySetJson.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CheckpointKeyError(`public key set: ${["keys", ...issue.path.slice(1)].join(".")}: ${issue.message}`);
  }
  const keys = new Map<string, KeyObject>();
  for (const [index, { key_id, pem }] of parsed.data.keys.entries()) {
    if (keys.has(key_id)) throw new CheckpointKeyError(`public key set: key id "${key_id}" appears more than once`);
    keys.set(key_id, parsePublicPem(pem, `public key set: keys.${index} (key id "${key_id}")`));
  }
  const active = parsed.data.keys.filter((key) => key.active);
  if (active.length > 1) throw new CheckpointKeyError(`public key set: more than one key is marked active`);
  return new Ed25519PublicKeySet(keys, active[0]?.key_id);
}

export function publicKeySetFromSigner(signer: CheckpointSigner): PublicKeySet {
  return publicKeySetFromJson({ keys: signer.publicKeys() });
}

// The header check comes first: createPublicKey would also derive a public key
// from a private key PEM, which has no place in a public key set.
function parsePublicPem(pem: string, where: string): KeyObject {
  const refused = new CheckpointKeyError(`${where}: pem is not an Ed25519 public key in SPKI PEM form`);
  if (!PUBLIC_KEY_PEM.test(pem)) throw refused;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: "pem" });
  } catch {
    throw refused;
  }
  if (key.type !== "public" || key.asymmetricKeyType !== "ed25519") throw refused;
  return key;
}
