// The canonical byte encoding of a log, the input of its MAC. Changing anything
// here changes every MAC: a new layout needs a new version. Version 2 adds who
// ingested the log (`ingested_by`) to the fields a leaf shows, and lets `ip`
// be absent; a log without `ingested_by` (stored before it existed) keeps
// version 1, so its MAC and leaf stay what they were.
import { ByteWriter } from "./byte-writer";

export const CANONICAL_VERSION = "ledgerline/log/v2";
export const CANONICAL_VERSION_1 = "ledgerline/log/v1";

export type MetadataValue = string | number | boolean;

export type SignedLogFields = {
  log_id: string;
  timestamp: string;
  received_at: Date;
  ip?: string;
  user: string;
  action: string;
  status: "success" | "failed";
  source?: string;
  message?: string;
  metadata?: Record<string, MetadataValue>;
  /** Who stored the log (lib/records/logs/provenance.ts); absent on logs stored before version 2. */
  ingested_by?: string;
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
 * Layout: the version as a string value, log_id, the summary fields
 * (timestamp, received_at, ip, user, action, status, source and, from version
 * 2, ingested_by), message, metadata, sequence and key_id, each as tag
 * (1 byte) + length (4 bytes, big-endian) + bytes; metadata as its tag + entry
 * count, then per entry key length + key + value. Extra properties (such as
 * `_id` or `mac`) are ignored.
 */
export function encodeCanonicalLog(fields: SignedLogFields): Buffer {
  return withEncodedLog(fields, fields.key_id, (encoded) => Buffer.from(encoded.canonical));
}

/** A log's canonical encoding, and its leaf encoding made from the same bytes. */
export type EncodedLog = {
  readonly canonical: Buffer;
  /** encodeLogLeaf of the log's summary and content digest, given as 64 lowercase hex digits. */
  leaf(contentDigestHex: string): Buffer;
};

/**
 * Calls `use` with the log encoded, its leaf without encoding any field again:
 * the leaf's summary fields are, byte for byte, a run of the canonical
 * encoding. The buffers are valid only during the call. The key id comes
 * apart from the fields, as signing adds it to fields that have none.
 */
export function withEncodedLog<T>(
  fields: Omit<SignedLogFields, "key_id">,
  keyId: string,
  use: (encoded: EncodedLog) => T,
): T {
  const version = versionOf(fields);
  return withWriter((writer) => {
    writer.bytes(version.canonical);
    writeRequiredString(writer, fields.log_id, "log_id");
    const summaryStart = writer.length;
    writeSummaryFields(writer, fields, version);
    const summaryEnd = writer.length;
    writeOptionalString(writer, fields.message, "message");
    writeMetadata(writer, fields.metadata);
    const sequenceStart = writer.length;
    writeSequence(writer, fields.sequence);
    const sequenceEnd = writer.length;
    writeRequiredString(writer, keyId, "key_id");
    const canonicalEnd = writer.length;
    return use({
      canonical: writer.view(0, canonicalEnd),
      leaf(contentDigestHex) {
        if (contentDigestHex.length !== 64) throw new CanonicalEncodingError("the content digest must be 32 bytes");
        writer.reset(canonicalEnd);
        writer.bytes(version.leaf);
        writer.repeat(sequenceStart, sequenceEnd);
        writer.repeat(summaryStart, summaryEnd);
        writer.taggedText(TAG.string, contentDigestHex);
        return writer.view(canonicalEnd);
      },
    });
  });
}

export const LEAF_VERSION = "ledgerline/leaf/v2";
export const LEAF_VERSION_1 = "ledgerline/leaf/v1";

/** The fields a log's Merkle leaf shows in the clear (see encodeLogLeaf). */
export type LeafSummary = Pick<
  SignedLogFields,
  "sequence" | "timestamp" | "received_at" | "ip" | "user" | "action" | "status" | "source" | "ingested_by"
>;

/**
 * The Merkle leaf content of a log: the leaf version, the summary fields (as in
 * encodeCanonicalLog) and the SHA-256 of the log's full canonical encoding.
 * A filtered export can thus leave a log out but show its summary and content
 * digest: the checkpoint still proves the summary, and a verifier can see that
 * the log did not match the filter, without seeing its message or metadata.
 */
export function encodeLogLeaf(summary: LeafSummary, contentDigest: Buffer): Buffer {
  if (contentDigest.length !== 32) throw new CanonicalEncodingError("the content digest must be 32 bytes");
  const version = versionOf(summary);
  return withWriter((writer) => {
    writer.bytes(version.leaf);
    writeSequence(writer, summary.sequence);
    writeSummaryFields(writer, summary, version);
    writer.taggedText(TAG.string, contentDigest.toString("hex"));
    return writer.copy();
  });
}

export const VOID_VERSION = "ledgerline/void/v1";

/**
 * The Merkle leaf content of a sequence number that was reserved but carries no
 * log: the void version string, then the sequence. Its own version string keeps
 * it from ever equalling a log's encoding.
 */
export function encodeCanonicalVoid(sequenceNumber: number): Buffer {
  return withWriter((writer) => {
    writer.taggedText(TAG.string, VOID_VERSION);
    writeSequence(writer, sequenceNumber);
    return writer.copy();
  });
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
function checkWellFormed(text: string, what: string): void {
  if (!isWellFormedText(text)) throw new CanonicalEncodingError(`${what} is not well-formed Unicode`);
}

/** Tag (1 byte) + length (4 bytes, big-endian) + UTF-8 bytes: the unit of every canonical encoding. */
export function taggedValue(tag: number, text: string): Buffer {
  checkWellFormed(text, "value");
  const length = Buffer.byteLength(text, "utf8");
  const bytes = Buffer.allocUnsafe(5 + length);
  bytes.writeUInt8(tag, 0);
  bytes.writeUInt32BE(length, 1);
  bytes.write(text, 5, "utf8");
  return bytes;
}

type EncodingVersion = { number: 1 | 2; canonical: Buffer; leaf: Buffer };

const VERSION_1: EncodingVersion = {
  number: 1,
  canonical: taggedValue(TAG.string, CANONICAL_VERSION_1),
  leaf: taggedValue(TAG.string, LEAF_VERSION_1),
};
const VERSION_2: EncodingVersion = {
  number: 2,
  canonical: taggedValue(TAG.string, CANONICAL_VERSION),
  leaf: taggedValue(TAG.string, LEAF_VERSION),
};

// null counts as absent, as for every optional field.
function versionOf(fields: { ingested_by?: unknown }): EncodingVersion {
  return fields.ingested_by === undefined || fields.ingested_by === null ? VERSION_1 : VERSION_2;
}

// Encoding is synchronous, so one writer serves every call; a call made while
// it is busy (a metadata getter that encodes, say) gets its own.
let sharedWriter = new ByteWriter(4096);
let isSharedWriterBusy = false;
const MAX_RETAINED_BYTES = 1 << 20;

function withWriter<T>(write: (writer: ByteWriter) => T): T {
  if (isSharedWriterBusy) return write(new ByteWriter());
  isSharedWriterBusy = true;
  sharedWriter.reset();
  try {
    return write(sharedWriter);
  } finally {
    isSharedWriterBusy = false;
    if (sharedWriter.capacity > MAX_RETAINED_BYTES) sharedWriter = new ByteWriter(4096);
  }
}

type StringField = "log_id" | "timestamp" | "ip" | "user" | "action" | "status" | "ingested_by" | "key_id";

/** timestamp, received_at, ip, user, action, status, source (and ingested_by): what a log's leaf shows in the clear. */
function writeSummaryFields(writer: ByteWriter, summary: LeafSummary, version: EncodingVersion): void {
  writeRequiredString(writer, summary.timestamp, "timestamp");
  writeDate(writer, summary.received_at);
  if (version.number === 1) writeRequiredString(writer, summary.ip, "ip");
  else writeOptionalString(writer, summary.ip, "ip");
  writeRequiredString(writer, summary.user, "user");
  writeRequiredString(writer, summary.action, "action");
  writeRequiredString(writer, summary.status, "status");
  writeOptionalString(writer, summary.source, "source");
  if (version.number === 2) writeRequiredString(writer, summary.ingested_by, "ingested_by");
}

function writeRequiredString(writer: ByteWriter, text: unknown, name: StringField): void {
  if (typeof text !== "string") throw new CanonicalEncodingError(`${name} must be a string`);
  checkWellFormed(text, name);
  writer.taggedText(TAG.string, text);
}

// null counts as absent: the driver stores an undefined property as null, and
// both mean "not given".
function writeOptionalString(writer: ByteWriter, text: unknown, name: "ip" | "source" | "message"): void {
  if (text === undefined || text === null) return writer.taggedCount(TAG.absent, 0);
  if (typeof text !== "string") throw new CanonicalEncodingError(`${name} must be a string when present`);
  checkWellFormed(text, name);
  writer.taggedText(TAG.string, text);
}

function writeDate(writer: ByteWriter, receivedAt: unknown): void {
  if (!(receivedAt instanceof Date) || Number.isNaN(receivedAt.getTime())) {
    throw new CanonicalEncodingError("received_at must be a valid Date");
  }
  writer.taggedText(TAG.date, isoText(receivedAt));
}

// The logs of one request share their received_at: its text is made once.
let lastIsoText = { time: Number.NaN, text: "" };

function isoText(date: Date): string {
  const time = date.getTime();
  if (time !== lastIsoText.time) lastIsoText = { time, text: date.toISOString() };
  return lastIsoText.text;
}

function writeSequence(writer: ByteWriter, n: unknown): void {
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) {
    throw new CanonicalEncodingError("sequence must be a safe non-negative integer");
  }
  writer.taggedText(TAG.number, canonicalNumber(n));
}

function writeMetadata(writer: ByteWriter, meta: unknown): void {
  if (meta === undefined || meta === null) return writer.taggedCount(TAG.absent, 0);
  if (typeof meta !== "object" || Array.isArray(meta) || !isPlainObject(meta)) {
    throw new CanonicalEncodingError("metadata must be a plain object");
  }
  const entries = Object.entries(meta).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  writer.taggedCount(TAG.metadata, entries.length);
  for (const [key, entry] of entries) {
    checkWellFormed(key, "metadata key");
    writer.lengthPrefixedText(key);
    writeMetadataValue(writer, entry);
  }
}

function writeMetadataValue(writer: ByteWriter, entry: unknown): void {
  switch (typeof entry) {
    case "string":
      checkWellFormed(entry, "metadata value");
      return writer.taggedText(TAG.string, entry);
    case "number":
      return writer.taggedText(TAG.number, canonicalNumber(entry));
    case "boolean":
      return writer.taggedText(TAG.boolean, entry ? "true" : "false");
    default:
      throw new CanonicalEncodingError(
        `metadata values must be strings, numbers or booleans, got ${entry === null ? "null" : typeof entry}`,
      );
  }
}

function isPlainObject(object: object): boolean {
  const proto: unknown = Object.getPrototypeOf(object);
  return proto === Object.prototype || proto === null;
}
