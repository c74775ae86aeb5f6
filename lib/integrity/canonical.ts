// The canonical byte encoding of a log, the input of its MAC. Changing anything
// here changes every MAC: a new layout needs a new CANONICAL_VERSION.
export const CANONICAL_VERSION = "ledgerline/log/v1";

export type MetadataValue = string | number | boolean;

export type SignedLogFields = {
  log_id: string;
  timestamp: string;
  received_at: Date;
  ip: string;
  user: string;
  action: string;
  status: "success" | "failed";
  source?: string;
  message?: string;
  metadata?: Record<string, MetadataValue>;
  sequence: number;
  key_id: string;
};

/** One byte before every value, so no two kinds of value share an encoding. */
export const TAG = {
  absent: 0x00,
  string: 0x01,
  number: 0x02,
  boolean: 0x03,
  date: 0x04,
  metadata: 0x05,
} as const;

export class CanonicalEncodingError extends TypeError {
  override name = "CanonicalEncodingError";
}

/**
 * Layout: the version as a string value, then the fields in the order of
 * SignedLogFields, each as tag (1 byte) + length (4 bytes, big-endian) + bytes;
 * metadata as its tag + entry count, then per entry key length + key + value.
 * Extra properties (such as `_id` or `mac`) are ignored.
 */
export function encodeCanonicalLog(fields: SignedLogFields): Buffer {
  const parts: Buffer[] = [
    value(TAG.string, CANONICAL_VERSION),
    requiredString(fields, "log_id"),
    requiredString(fields, "timestamp"),
    date(fields.received_at),
    requiredString(fields, "ip"),
    requiredString(fields, "user"),
    requiredString(fields, "action"),
    requiredString(fields, "status"),
    optionalString(fields, "source"),
    optionalString(fields, "message"),
    metadata(fields.metadata),
    sequence(fields.sequence),
    requiredString(fields, "key_id"),
  ];
  return Buffer.concat(parts);
}

export const LEAF_VERSION = "ledgerline/leaf/v1";

/** The fields a log's Merkle leaf shows in the clear (see encodeLogLeaf). */
export type LeafSummary = Pick<SignedLogFields, "sequence" | "timestamp" | "received_at" | "ip" | "user" | "action" | "status" | "source">;

/**
 * The Merkle leaf content of a log: the leaf version, the summary fields (as in
 * encodeCanonicalLog) and the SHA-256 of the log's full canonical encoding.
 * A filtered export can thus leave a log out but show its summary and content
 * digest: the checkpoint still proves the summary, and a verifier can see that
 * the log did not match the filter, without seeing its message or metadata.
 */
export function encodeLogLeaf(summary: LeafSummary, contentDigest: Buffer): Buffer {
  if (contentDigest.length !== 32) throw new CanonicalEncodingError("the content digest must be 32 bytes");
  return Buffer.concat([
    value(TAG.string, LEAF_VERSION),
    sequence(summary.sequence),
    requiredString(summary, "timestamp"),
    date(summary.received_at),
    requiredString(summary, "ip"),
    requiredString(summary, "user"),
    requiredString(summary, "action"),
    requiredString(summary, "status"),
    optionalString(summary, "source"),
    value(TAG.string, contentDigest.toString("hex")),
  ]);
}

export const VOID_VERSION = "ledgerline/void/v1";

/**
 * The Merkle leaf content of a sequence number that was reserved but carries no
 * log: the void version string, then the sequence. Its own version string keeps
 * it from ever equalling a log's encoding.
 */
export function encodeCanonicalVoid(sequenceNumber: number): Buffer {
  return Buffer.concat([value(TAG.string, VOID_VERSION), sequence(sequenceNumber)]);
}

/** Canonical text of a metadata number; stable across a BSON int32/double round trip. */
export function canonicalNumber(n: number): string {
  if (!Number.isFinite(n)) throw new CanonicalEncodingError(`metadata numbers must be finite, got ${n}`);
  return String(Object.is(n, -0) ? 0 : n);
}

// A lone UTF-16 surrogate has no UTF-8 form (Buffer would silently write U+FFFD),
// so two different strings would share bytes; such strings are refused instead.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

// Strings are encoded exactly as given, without Unicode normalisation: the bytes
// that were sent are what is signed, so "é" (NFC) and "e\u0301" (NFD) differ.
function utf8(text: string, what: string): Buffer {
  if (!isWellFormedText(text)) throw new CanonicalEncodingError(`${what} is not well-formed Unicode`);
  return Buffer.from(text, "utf8");
}

// One allocation per value: this runs for every field of every log ingested.
function value(tag: number, text: string, what = "value"): Buffer {
  if (!isWellFormedText(text)) throw new CanonicalEncodingError(`${what} is not well-formed Unicode`);
  const length = Buffer.byteLength(text, "utf8");
  const bytes = Buffer.allocUnsafe(5 + length);
  bytes.writeUInt8(tag, 0);
  bytes.writeUInt32BE(length, 1);
  bytes.write(text, 5, "utf8");
  return bytes;
}

/** Tag (1 byte) + length (4 bytes, big-endian) + UTF-8 bytes: the unit of every canonical encoding. */
export { value as taggedValue };

type StringField = "log_id" | "timestamp" | "ip" | "user" | "action" | "status" | "key_id";

function requiredString<F extends StringField>(fields: Pick<SignedLogFields, F>, name: F): Buffer {
  const text: unknown = fields[name];
  if (typeof text !== "string") throw new CanonicalEncodingError(`${name} must be a string`);
  return value(TAG.string, text, name);
}

// null counts as absent: the driver stores an undefined property as null, and
// both mean "not given".
function optionalString<F extends "source" | "message">(fields: Pick<SignedLogFields, F>, name: F): Buffer {
  const text: unknown = fields[name];
  if (text === undefined || text === null) return value(TAG.absent, "");
  if (typeof text !== "string") throw new CanonicalEncodingError(`${name} must be a string when present`);
  return value(TAG.string, text, name);
}

function date(receivedAt: unknown): Buffer {
  if (!(receivedAt instanceof Date) || Number.isNaN(receivedAt.getTime())) {
    throw new CanonicalEncodingError("received_at must be a valid Date");
  }
  return value(TAG.date, receivedAt.toISOString());
}

function sequence(n: unknown): Buffer {
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) {
    throw new CanonicalEncodingError("sequence must be a safe non-negative integer");
  }
  return value(TAG.number, canonicalNumber(n));
}

function metadata(meta: unknown): Buffer {
  if (meta === undefined || meta === null) return value(TAG.absent, "");
  if (typeof meta !== "object" || Array.isArray(meta) || !isPlainObject(meta)) {
    throw new CanonicalEncodingError("metadata must be a plain object");
  }
  const entries = Object.entries(meta).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const head = Buffer.alloc(5);
  head.writeUInt8(TAG.metadata, 0);
  head.writeUInt32BE(entries.length, 1);
  const parts: Buffer[] = [head];
  for (const [key, entry] of entries) {
    const keyBytes = utf8(key, "metadata key");
    const keyLength = Buffer.alloc(4);
    keyLength.writeUInt32BE(keyBytes.length, 0);
    parts.push(keyLength, keyBytes, metadataValue(entry));
  }
  return Buffer.concat(parts);
}

function metadataValue(entry: unknown): Buffer {
  switch (typeof entry) {
    case "string":
      return value(TAG.string, entry, "metadata value");
    case "number":
      return value(TAG.number, canonicalNumber(entry));
    case "boolean":
      return value(TAG.boolean, entry ? "true" : "false");
    default:
      throw new CanonicalEncodingError(`metadata values must be strings, numbers or booleans, got ${entry === null ? "null" : typeof entry}`);
  }
}

function isPlainObject(object: object): boolean {
  const proto: unknown = Object.getPrototypeOf(object);
  return proto === Object.prototype || proto === null;
}
