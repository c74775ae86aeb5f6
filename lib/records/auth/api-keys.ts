// API keys for services: random, shown once, stored only as a SHA-256 hash.
// A key reads "llk_<id>_<secret>": the id makes the lookup a lone _id
// equality (the one query the embedded server does not answer by a full
// scan); the secret carries 256 bits, so a fast hash is enough.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Db } from "mongodb";
import { COLLECTIONS } from "@/lib/platform/db/collections";
import { isDuplicateKeyError } from "@/lib/platform/db/errors";
import { recordSecurityEvent, type Actor } from "@/lib/records/audit/security-events";
import type { ApiKeyCreate, ApiKeyScope } from "./api-key-schemas";

export type ApiKeyRecord = {
  _id: string;
  name: string;
  scopes: ApiKeyScope[];
  /** The only sources the key may send (lib/records/auth/key-bindings.ts); empty or absent: any. */
  sources?: string[];
  /** log_id prefixes no other key may use; empty or absent: none. */
  id_prefixes?: string[];
  key_hash: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
};

export type ApiKeySummary = Omit<ApiKeyRecord, "_id" | "key_hash" | "sources" | "id_prefixes"> & {
  id: string;
  sources: string[];
  id_prefixes: string[];
};

const KEY_PATTERN = /^llk_([a-f0-9]{16})_([A-Za-z0-9_-]{43})$/;
const LAST_USED_RESOLUTION_MS = 60_000;

export class DuplicateApiKeyNameError extends Error {
  override name = "DuplicateApiKeyNameError";
}

/** An id prefix that overlaps one an active key holds (one starts with the other). */
export class IdPrefixTakenError extends Error {
  override name = "IdPrefixTakenError";
}

export type NewApiKey = Pick<ApiKeyCreate, "name" | "scopes"> & Partial<Pick<ApiKeyCreate, "sources" | "id_prefixes">>;

function apiKeys(db: Db) {
  return db.collection<ApiKeyRecord>(COLLECTIONS.apiKeys);
}

function hashKey(key: string): Buffer {
  return createHash("sha256").update(key).digest();
}

export async function createApiKey(
  db: Db,
  input: NewApiKey,
  actor: Actor,
): Promise<{ summary: ApiKeySummary; key: string }> {
  const idPrefixes = input.id_prefixes ?? [];
  await checkPrefixesFree(db, idPrefixes);
  const id = randomBytes(8).toString("hex");
  const key = `llk_${id}_${randomBytes(32).toString("base64url")}`;
  const record: ApiKeyRecord = {
    _id: id,
    name: input.name,
    scopes: input.scopes,
    sources: input.sources ?? [],
    id_prefixes: idPrefixes,
    key_hash: hashKey(key).toString("hex"),
    created_at: new Date(),
    last_used_at: null,
    revoked_at: null,
  };
  try {
    await apiKeys(db).insertOne(record);
  } catch (error) {
    if (isDuplicateKeyError(error)) {
      throw new DuplicateApiKeyNameError(`An API key named "${input.name}" already exists.`);
    }
    throw error;
  }
  await recordSecurityEvent(db, {
    ...actor,
    action: "api_key_created",
    status: "success",
    message: `API key "${record.name}" created`,
    metadata: {
      key_id: id,
      key_name: record.name,
      scopes: record.scopes.join(","),
      ...(record.sources!.length > 0 && { sources: record.sources!.join(",").slice(0, 1024) }),
      ...(idPrefixes.length > 0 && { id_prefixes: idPrefixes.join(",") }),
    },
  });
  forgetReservedPrefixes();
  return { summary: summarize(record), key };
}

async function checkPrefixesFree(db: Db, prefixes: string[]): Promise<void> {
  if (prefixes.length === 0) return;
  const held = await reservedIdPrefixes(db);
  for (const prefix of prefixes) {
    const overlap = held.find((other) => other.prefix.startsWith(prefix) || prefix.startsWith(other.prefix));
    if (overlap)
      throw new IdPrefixTakenError(
        `The log_id prefix "${prefix}" overlaps "${overlap.prefix}", which the active API key "${overlap.keyName}" holds.`,
      );
  }
}

export type ReservedPrefix = { prefix: string; keyId: string; keyName: string };

const RESERVED_PREFIXES_TTL_MS = 5_000;
let reservedCache: { at: number; prefixes: Promise<ReservedPrefix[]> } | null = null;

/**
 * The id prefixes the active keys hold. Read at most every 5 s per process
 * (the embedded server scans the collection for it); a key created or revoked
 * here takes effect at once, one made by another instance within 5 s.
 */
export function reservedIdPrefixes(db: Db): Promise<ReservedPrefix[]> {
  if (!reservedCache || Date.now() - reservedCache.at > RESERVED_PREFIXES_TTL_MS) {
    const prefixes = apiKeys(db)
      .find({ revoked_at: null }, { projection: { _id: 1, name: 1, id_prefixes: 1 } })
      .toArray()
      .then((records) =>
        records.flatMap((record) =>
          (record.id_prefixes ?? []).map((prefix) => ({ prefix, keyId: record._id, keyName: record.name })),
        ),
      );
    reservedCache = { at: Date.now(), prefixes };
    prefixes.catch(() => (reservedCache = null));
  }
  return reservedCache.prefixes;
}

function forgetReservedPrefixes(): void {
  reservedCache = null;
}

export async function listApiKeys(db: Db): Promise<ApiKeySummary[]> {
  const records = await apiKeys(db).find({}).sort({ created_at: 1 }).toArray();
  return records.map(summarize);
}

/** Revokes by id or by name; returns the revoked key, or null when none matched. */
export async function revokeApiKey(db: Db, idOrName: string, actor: Actor): Promise<ApiKeySummary | null> {
  const record = (await apiKeys(db).findOne({ _id: idOrName })) ?? (await apiKeys(db).findOne({ name: idOrName }));
  if (!record) return null;
  const revokedAt = record.revoked_at ?? new Date();
  await apiKeys(db).updateOne({ _id: record._id }, { $set: { revoked_at: revokedAt } });
  forgetReservedPrefixes();
  await recordSecurityEvent(db, {
    ...actor,
    action: "api_key_revoked",
    status: "success",
    message: `API key "${record.name}" revoked`,
    metadata: { key_id: record._id, key_name: record.name },
  });
  return summarize({ ...record, revoked_at: revokedAt });
}

/** The key's record when the presented key is genuine and not revoked, else null. */
export async function authenticateApiKey(db: Db, presented: string): Promise<ApiKeySummary | null> {
  const match = KEY_PATTERN.exec(presented);
  if (!match) return null;
  const record = await apiKeys(db).findOne({ _id: match[1]! });
  if (!record || record.revoked_at) return null;
  const stored = Buffer.from(record.key_hash, "hex");
  const given = hashKey(presented);
  if (stored.length !== given.length || !timingSafeEqual(stored, given)) return null;

  const now = new Date();
  if (!record.last_used_at || now.getTime() - record.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) {
    await apiKeys(db).updateOne({ _id: record._id }, { $set: { last_used_at: now } });
    record.last_used_at = now;
  }
  return summarize(record);
}

function summarize({ _id, key_hash: _hash, sources, id_prefixes, ...rest }: ApiKeyRecord): ApiKeySummary {
  return { id: _id, ...rest, sources: sources ?? [], id_prefixes: id_prefixes ?? [] };
}
