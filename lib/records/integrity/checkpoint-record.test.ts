import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { CanonicalEncodingError } from "./canonical";
import { generateCheckpointKeySpec, parseCheckpointKeys, publicKeySetFromSigner } from "./checkpoint-keys";
import {
  CHECKPOINT_VERSION,
  checkpointDigest,
  encodeCanonicalCheckpoint,
  signCheckpoint,
  verifyCheckpoint,
  type CheckpointBody,
  type SignedCheckpoint,
} from "./checkpoint-record";

const signer = parseCheckpointKeys(
  `${generateCheckpointKeySpec("ck1")},${generateCheckpointKeySpec("ck0")}`,
  undefined,
);
const keys = publicKeySetFromSigner(signer);
const otherKeys = publicKeySetFromSigner(parseCheckpointKeys(generateCheckpointKeySpec("ck9"), undefined));

// Computed independently with Python's hashlib from the layout documented in
// checkpoint-record.ts, for makeBody() with key_id "ck1".
const GOLDEN_DIGEST = "2849be83e20763c5c86aad24d1cd248c39158dc173502866ddc0821b23692eaf";
const GOLDEN_LENGTH = 250;

function makeBody(overrides: Partial<CheckpointBody> = {}): CheckpointBody {
  return {
    number: 2,
    start_sequence: 10,
    end_sequence: 15,
    log_count: 3,
    voids: [11, 13],
    root: "ab".repeat(32),
    previous_digest: "cd".repeat(32),
    created_at: new Date("2025-01-01T00:01:00.000Z"),
    ...overrides,
  };
}

const makeSigned = (overrides: Partial<CheckpointBody> = {}) => signCheckpoint(makeBody(overrides), signer);

function assertRefused(
  checkpoint: unknown,
  reason: RegExp,
  verdict: "invalid" | "unknown_key" = "invalid",
  against = keys,
) {
  const result = verifyCheckpoint(checkpoint, against);
  assert.equal(result.verdict, verdict, JSON.stringify(result));
  assert.match("reason" in result ? result.reason : "", reason);
}

describe("encodeCanonicalCheckpoint", () => {
  it("starts with the tagged, length-prefixed version and matches an independently computed digest", () => {
    const bytes = encodeCanonicalCheckpoint({ ...makeBody(), key_id: "ck1" });
    assert.deepEqual([...bytes.subarray(0, 5)], [0x01, 0, 0, 0, CHECKPOINT_VERSION.length]);
    assert.equal(bytes.subarray(5, 5 + CHECKPOINT_VERSION.length).toString(), CHECKPOINT_VERSION);
    assert.equal(bytes.length, GOLDEN_LENGTH);
    assert.equal(createHash("sha256").update(bytes).digest("hex"), GOLDEN_DIGEST);
    assert.equal(checkpointDigest({ ...makeBody(), key_id: "ck1" }), GOLDEN_DIGEST);
    assert.equal(makeSigned().digest, GOLDEN_DIGEST);
  });

  it("keeps the voids list apart from the fields around it", () => {
    const a = encodeCanonicalCheckpoint({ ...makeBody({ voids: [11], log_count: 4 }), key_id: "ck1" });
    const b = encodeCanonicalCheckpoint({ ...makeBody({ voids: [11, 13] }), key_id: "ck1" });
    assert.notDeepEqual(a, b);
  });

  it("refuses a broken invariant", () => {
    const broken: [string, Partial<CheckpointBody & { key_id: string }>][] = [
      ["number 0", { number: 0 }],
      ["fractional number", { number: 2.5 }],
      ["unsafe number", { number: 2 ** 53 }],
      ["negative start", { start_sequence: -1, end_sequence: 4, voids: [], log_count: 5 }],
      ["end before start", { end_sequence: 9, voids: [], log_count: -1 }],
      ["voids descending", { voids: [13, 11] }],
      ["void repeated", { voids: [11, 11] }],
      ["void before start", { voids: [9, 11] }],
      ["void at end", { voids: [11, 15] }],
      ["void not a number", { voids: ["11", 13] as never }],
      ["log_count off by one", { log_count: 4 }],
      ["root uppercase", { root: "AB".repeat(32) }],
      ["root short", { root: "ab".repeat(31) }],
      ["previous_digest null after checkpoint 1", { previous_digest: null }],
      ["previous_digest set on checkpoint 1", { number: 1 }],
      ["previous_digest not hex", { previous_digest: "zz".repeat(32) }],
      ["created_at invalid", { created_at: new Date("nope") }],
      ["created_at a string", { created_at: "2025-01-01T00:01:00.000Z" as never }],
      ["key_id invalid", { key_id: "bad id" }],
    ];
    for (const [what, overrides] of broken) {
      assert.throws(
        () => encodeCanonicalCheckpoint({ ...makeBody(), key_id: "ck1", ...overrides }),
        CanonicalEncodingError,
        what,
      );
    }
  });

  it("accepts an empty first checkpoint", () => {
    const root = createHash("sha256").digest("hex");
    const body = makeBody({
      number: 1,
      start_sequence: 1,
      end_sequence: 1,
      log_count: 0,
      voids: [],
      root,
      previous_digest: null,
    });
    assert.equal(verifyCheckpoint(signCheckpoint(body, signer), keys).verdict, "valid");
  });
});

describe("signCheckpoint and verifyCheckpoint", () => {
  it("round-trips and signs with the active key", () => {
    const signed = makeSigned();
    assert.equal(signed.key_id, "ck1");
    assert.equal(signed.digest, checkpointDigest(signed));
    assert.deepEqual(verifyCheckpoint(signed, keys), { verdict: "valid", checkpoint: signed });
  });

  it("copies the body and leaves extra properties out", () => {
    const body = { ...makeBody(), _id: 2, mac: "x" };
    const signed = signCheckpoint(body, signer);
    body.voids.push(14);
    body.created_at.setTime(0);
    assert.equal(verifyCheckpoint(signed, keys).verdict, "valid");
    assert.ok(!("_id" in signed) && !("mac" in signed));
  });

  it("accepts a stored document with an _id and returns it without", () => {
    const signed = makeSigned();
    const result = verifyCheckpoint({ _id: 2, ...signed }, keys);
    assert.deepEqual(result, { verdict: "valid", checkpoint: signed });
  });

  it("accepts a checkpoint that went through JSON, with created_at as its ISO string", () => {
    const signed = makeSigned();
    const exported: unknown = JSON.parse(JSON.stringify(signed));
    assert.equal((exported as { created_at: unknown }).created_at, "2025-01-01T00:01:00.000Z");
    assert.deepEqual(verifyCheckpoint(exported, keys), { verdict: "valid", checkpoint: signed });
  });

  it("refuses created_at in any other spelling of the same instant", () => {
    const signed = makeSigned();
    for (const created_at of [
      "2025-01-01T00:01:00Z",
      "2025-01-01T01:01:00.000+01:00",
      "2025-01-01 00:01:00",
      1735689660000,
    ]) {
      assertRefused({ ...signed, created_at }, /^created_at: /);
    }
  });

  it("refuses any change of a signed field, void or signature", () => {
    const signed = makeSigned();
    // Each edit keeps the invariants (log_count alone cannot change without
    // breaking one), so only the digest and the signature can catch it.
    const edits: [string, Partial<SignedCheckpoint>][] = [
      ["number", { number: 3 }],
      ["start_sequence with log_count", { start_sequence: 9, log_count: 4 }],
      ["end_sequence with log_count", { end_sequence: 16, log_count: 4 }],
      ["a void dropped", { voids: [11], log_count: 4 }],
      ["a void added", { voids: [11, 12, 13], log_count: 2 }],
      ["a void moved", { voids: [11, 14] }],
      ["root", { root: `${"ab".repeat(31)}ac` }],
      ["previous_digest", { previous_digest: `${"cd".repeat(31)}ce` }],
      ["created_at by 1 ms", { created_at: new Date(signed.created_at.getTime() + 1) }],
      ["key_id to another known key", { key_id: "ck0" }],
      ["signature", { signature: makeSigned({ root: "ef".repeat(32) }).signature }],
      ["digest", { digest: "00".repeat(32) }],
    ];
    for (const [what, edit] of edits) {
      const edited = { ...signed, ...edit };
      assert.equal(verifyCheckpoint(edited, keys).verdict, "invalid", what);
      if (!("signature" in edit) && !("digest" in edit)) {
        assertRefused({ ...edited, digest: checkpointDigest(edited) }, /the signature does not verify/);
      }
    }
  });

  it("tells a wrong digest from a wrong signature", () => {
    const signed = makeSigned();
    assertRefused({ ...signed, root: "ef".repeat(32) }, /the digest does not match/);
    assertRefused({ ...signed, signature: "A".repeat(86) }, /the signature does not verify/);
  });

  it("reports a key id outside the public key set as unknown_key", () => {
    assertRefused(makeSigned(), /key id "ck1" is not in the public key set/, "unknown_key", otherKeys);
  });

  it("refuses broken invariants with the reason", () => {
    const signed = makeSigned();
    assertRefused({ ...signed, voids: [13, 11] }, /voids must be ascending/);
    assertRefused({ ...signed, previous_digest: null }, /previous_digest must be null for checkpoint 1/);
    assertRefused({ ...signed, log_count: 4 }, /log_count must equal/);
  });

  it("never throws on malformed input", () => {
    const signed = makeSigned();
    const malformed: [unknown, RegExp][] = [
      [null, /^checkpoint: /],
      ["checkpoint", /^checkpoint: /],
      [[signed], /^checkpoint: /],
      [{}, /^number: /],
      [{ ...signed, number: "2" }, /^number: /],
      [{ ...signed, number: 2 ** 60 }, /^number: /],
      [{ ...signed, voids: "11,13" }, /^voids: /],
      [{ ...signed, voids: [11, null] }, /^voids\.1: /],
      [{ ...signed, previous_digest: undefined }, /^previous_digest: /],
      [{ ...signed, created_at: new Date("nope") }, /^created_at: /],
      [{ ...signed, signature: undefined }, /^signature: /],
      [{ ...signed, signature: "not base64url!" }, /the signature does not verify/],
      [{ ...signed, key_id: "a\uD800" }, /key_id must be/],
    ];
    for (const [input, reason] of malformed) assertRefused(input, reason);
  });
});
