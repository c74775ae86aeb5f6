// A checkpoint states, signed with Ed25519, that sequences [start, end) hash to
// `root`, and chains to the checkpoint before it by digest (layer 2 of the
// integrity model). The signature and the digest cover the same canonical bytes.
import { createHash } from "node:crypto";
import { z } from "zod";
import { CanonicalEncodingError, TAG, canonicalNumber, taggedValue } from "./canonical";
import type { CheckpointSigner, PublicKeySet } from "./checkpoint-keys";

export const CHECKPOINT_VERSION = "ledgerline/checkpoint/v1";

export type CheckpointBody = {
  number: number;
  /** Inclusive. */
  start_sequence: number;
  /** Exclusive; equal to start_sequence for an empty checkpoint. */
  end_sequence: number;
  log_count: number;
  /** Ascending sequences in [start, end) that carry no log. */
  voids: number[];
  /** Lowercase hex Merkle root over the range's leaves in sequence order. */
  root: string;
  /** Digest of checkpoint number - 1; null only for number 1. */
  previous_digest: string | null;
  created_at: Date;
};

export type SignedCheckpoint = CheckpointBody & { key_id: string; signature: string; digest: string };

export type CheckpointVerdict =
  { verdict: "valid"; checkpoint: SignedCheckpoint } | { verdict: "invalid" | "unknown_key"; reason: string };

const HEX_DIGEST = /^[0-9a-f]{64}$/;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Layout: the version, then number, start_sequence, end_sequence, log_count,
 * the count of voids followed by each void, root, previous_digest (absent for
 * number 1), created_at and key_id; every value as canonical.ts writes it (tag +
 * 4-byte big-endian length + UTF-8 text). Throws on a broken invariant.
 */
export function encodeCanonicalCheckpoint(body: CheckpointBody & { key_id: string }): Buffer {
  assertInvariants(body);
  return Buffer.concat([
    taggedValue(TAG.string, CHECKPOINT_VERSION),
    integer(body.number),
    integer(body.start_sequence),
    integer(body.end_sequence),
    integer(body.log_count),
    integer(body.voids.length),
    ...body.voids.map(integer),
    taggedValue(TAG.string, body.root),
    body.previous_digest === null ? taggedValue(TAG.absent, "") : taggedValue(TAG.string, body.previous_digest),
    taggedValue(TAG.date, body.created_at.toISOString()),
    taggedValue(TAG.string, body.key_id),
  ]);
}

/** What the next checkpoint's previous_digest must equal. */
export function checkpointDigest(checkpoint: CheckpointBody & { key_id: string }): string {
  return sha256Hex(encodeCanonicalCheckpoint(checkpoint));
}

/** Signs with the signer's active key; extra properties of `body` are left out. */
export function signCheckpoint(body: CheckpointBody, signer: CheckpointSigner): SignedCheckpoint {
  const unsigned = {
    number: body.number,
    start_sequence: body.start_sequence,
    end_sequence: body.end_sequence,
    log_count: body.log_count,
    voids: [...body.voids],
    root: body.root,
    previous_digest: body.previous_digest,
    created_at: new Date(body.created_at),
    key_id: signer.activeKeyId,
  };
  const bytes = encodeCanonicalCheckpoint(unsigned);
  const { key_id, signature } = signer.sign(bytes);
  if (key_id !== unsigned.key_id)
    throw new Error(`the signer signed with key id "${key_id}", not its active key id "${unsigned.key_id}"`);
  return { ...unsigned, signature, digest: sha256Hex(bytes) };
}

// created_at arrives as a Date from MongoDB and as its toISOString text from an
// NDJSON export; any other spelling of the instant is refused, so one
// checkpoint has one text form.
const CreatedAt = z.union([
  z.date(),
  z
    .string()
    .refine(isIsoString, "must be a Date or an ISO 8601 string as Date.toISOString writes it")
    .transform((text) => new Date(text)),
]);

const SignedCheckpointShape = z.object({
  number: z.int(),
  start_sequence: z.int(),
  end_sequence: z.int(),
  log_count: z.int(),
  voids: z.array(z.int()),
  root: z.string(),
  previous_digest: z.string().nullable(),
  created_at: CreatedAt,
  key_id: z.string(),
  signature: z.string(),
  digest: z.string(),
});

/**
 * Checks shape, invariants, digest and signature of a checkpoint read from
 * MongoDB or an export; never throws. A valid verdict carries the checkpoint
 * with created_at as a Date and without extra properties such as `_id`.
 */
export function verifyCheckpoint(checkpoint: unknown, keys: PublicKeySet): CheckpointVerdict {
  const parsed = SignedCheckpointShape.safeParse(checkpoint);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { verdict: "invalid", reason: `${issue.path.join(".") || "checkpoint"}: ${issue.message}` };
  }
  const signed = parsed.data;
  let bytes: Buffer;
  try {
    bytes = encodeCanonicalCheckpoint(signed);
  } catch (error) {
    return {
      verdict: "invalid",
      reason: error instanceof CanonicalEncodingError ? error.message : "the checkpoint cannot be encoded",
    };
  }
  if (sha256Hex(bytes) !== signed.digest)
    return { verdict: "invalid", reason: "the digest does not match the checkpoint's contents" };
  switch (keys.verify(bytes, signed.key_id, signed.signature)) {
    case "valid":
      return { verdict: "valid", checkpoint: signed };
    case "unknown_key":
      return { verdict: "unknown_key", reason: `key id "${signed.key_id}" is not in the public key set` };
    default:
      return { verdict: "invalid", reason: "the signature does not verify" };
  }
}

function assertInvariants(body: CheckpointBody & { key_id: string }): void {
  const { number, start_sequence: start, end_sequence: end, voids } = body;
  assertInteger(number, "number", 1);
  assertInteger(start, "start_sequence", 0);
  assertInteger(end, "end_sequence", start);
  if (!Array.isArray(voids)) fail("voids must be an array");
  let floor = start;
  for (const sequence of voids as unknown[]) {
    if (typeof sequence !== "number" || !Number.isSafeInteger(sequence) || sequence < floor || sequence >= end) {
      fail("voids must be ascending, distinct sequences within [start_sequence, end_sequence)");
    }
    floor = sequence + 1;
  }
  if (body.log_count !== end - start - voids.length)
    fail("log_count must equal end_sequence - start_sequence - the number of voids");
  if (!isHexDigest(body.root)) fail("root must be 64 lowercase hex characters");
  if (number === 1 ? body.previous_digest !== null : !isHexDigest(body.previous_digest)) {
    fail("previous_digest must be null for checkpoint 1 and 64 lowercase hex characters after it");
  }
  if (!(body.created_at instanceof Date) || Number.isNaN(body.created_at.getTime()))
    fail("created_at must be a valid Date");
  if (typeof body.key_id !== "string" || !KEY_ID.test(body.key_id))
    fail("key_id must be 1-32 letters, digits, '_' or '-'");
}

function assertInteger(n: unknown, name: string, min: number): asserts n is number {
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < min)
    fail(`${name} must be a safe integer of at least ${min}`);
}

function fail(message: string): never {
  throw new CanonicalEncodingError(message);
}

function integer(n: number): Buffer {
  return taggedValue(TAG.number, canonicalNumber(n));
}

function isHexDigest(text: unknown): boolean {
  return typeof text === "string" && HEX_DIGEST.test(text);
}

function isIsoString(text: string): boolean {
  const date = new Date(text);
  return !Number.isNaN(date.getTime()) && date.toISOString() === text;
}

function sha256Hex(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}
