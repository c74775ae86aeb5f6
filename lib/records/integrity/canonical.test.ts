import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CANONICAL_VERSION,
  CANONICAL_VERSION_1,
  CanonicalEncodingError,
  LEAF_VERSION,
  TAG,
  encodeCanonicalLog,
  encodeLogLeaf,
  withEncodedLog,
  type SignedLogFields,
} from "./canonical";
import { makeSignedFields } from "./signed-fields.fixture";

const makeFields = makeSignedFields;

const encode = (overrides: Partial<SignedLogFields> = {}) => encodeCanonicalLog(makeFields(overrides));

function assertDistinct(a: Partial<SignedLogFields>, b: Partial<SignedLogFields>) {
  assert.notDeepEqual(encode(a), encode(b));
}

function assertSame(a: Partial<SignedLogFields>, b: Partial<SignedLogFields>) {
  assert.deepEqual(encode(a), encode(b));
}

describe("encodeCanonicalLog", () => {
  it("starts with the tagged, length-prefixed version string: version 2 with ingested_by, version 1 without", () => {
    for (const [overrides, versionText] of [
      [{ ingested_by: "key:k1" }, CANONICAL_VERSION],
      [{}, CANONICAL_VERSION_1],
    ] as const) {
      const bytes = encode(overrides);
      const version = Buffer.from(versionText, "utf8");
      assert.equal(bytes[0], TAG.string);
      assert.equal(bytes.readUInt32BE(1), version.length);
      assert.deepEqual(bytes.subarray(5, 5 + version.length), version);
    }
  });

  it("signs who ingested the log, right after the source, in version 2", () => {
    assertDistinct({ ingested_by: "key:a" }, { ingested_by: "key:b" });
    assertDistinct({ source: "ab", ingested_by: "c" }, { source: "a", ingested_by: "bc" });
    const bytes = encode({ source: "s", ingested_by: "ledgerline", message: "m" });
    const source = bytes.indexOf(Buffer.from([TAG.string, 0, 0, 0, 1, 0x73]));
    assert.deepEqual(
      bytes.subarray(source + 6, source + 6 + 15),
      Buffer.from([TAG.string, 0, 0, 0, 10, ...Buffer.from("ledgerline")]),
    );
  });

  it("lets version 2 go without an ip, and refuses that in version 1", () => {
    const noIp = { ip: undefined } as unknown as Partial<SignedLogFields>;
    assertDistinct({ ...noIp, ingested_by: "key:a" }, { ip: "", ingested_by: "key:a" });
    assert.throws(() => encode(noIp), /ip must be a string/);
  });

  it("makes the version 2 leaf from the same summary bytes as encodeLogLeaf, ingested_by included", () => {
    const fields = makeFields({
      source: "web",
      ingested_by: "import:ann@example.com",
      message: "m",
      metadata: { a: 1 },
    });
    const digest = Buffer.alloc(32, 9);
    const fromEncoded = withEncodedLog(fields, fields.key_id, (encoded) =>
      Buffer.from(encoded.leaf(digest.toString("hex"))),
    );
    const { log_id: _id, message: _m, metadata: _md, key_id: _k, ...summary } = fields;
    assert.deepEqual(fromEncoded, encodeLogLeaf(summary, digest));
    assert.ok(fromEncoded.includes(Buffer.from(LEAF_VERSION)));
    assert.ok(fromEncoded.includes(Buffer.from("import:ann@example.com")));
    assert.notDeepEqual(encodeLogLeaf({ ...summary, ingested_by: "key:x" }, digest), fromEncoded);
  });

  it("lays out fields as tag + 4-byte big-endian length + UTF-8 bytes, log_id first", () => {
    const bytes = encode({ log_id: "é" });
    const offset = 5 + CANONICAL_VERSION.length;
    assert.deepEqual([...bytes.subarray(offset, offset + 7)], [TAG.string, 0, 0, 0, 2, 0xc3, 0xa9]);
  });

  it("is deterministic for equal input", () => {
    assertSame({ metadata: { a: 1 } }, { metadata: { a: 1 } });
  });

  it("keeps field boundaries: user 'ab' + action 'c' differs from user 'a' + action 'bc'", () => {
    assertDistinct({ user: "ab", action: "c" }, { user: "a", action: "bc" });
    assertDistinct({ source: "ab", message: "c" }, { source: "a", message: "bc" });
    assertDistinct({ metadata: { ab: "c" } }, { metadata: { a: "bc" } });
  });

  it("tells an absent optional field from an empty string", () => {
    assertDistinct({}, { source: "" });
    assertDistinct({}, { message: "" });
    assertDistinct({ source: "" }, { message: "" });
    assertDistinct({}, { metadata: {} });
  });

  it("treats null optional fields as absent, as the driver stores undefined as null", () => {
    assertSame({}, { source: undefined, message: undefined, metadata: undefined });
    assertSame({}, { source: null, message: null, metadata: null } as never);
  });

  it("tells string, number and boolean metadata values apart", () => {
    assertDistinct({ metadata: { a: "1" } }, { metadata: { a: 1 } });
    assertDistinct({ metadata: { a: "true" } }, { metadata: { a: true } });
    assertDistinct({ metadata: { a: true } }, { metadata: { a: false } });
    assertDistinct({ metadata: { a: 1 } }, { metadata: { a: 1.5 } });
  });

  it("ignores the key order of the input object and of metadata", () => {
    const reordered = Object.fromEntries(Object.entries(makeFields({ source: "api" })).reverse()) as SignedLogFields;
    assert.deepEqual(encodeCanonicalLog(reordered), encode({ source: "api" }));
    assertSame({ metadata: { b: 2, a: 1, é: true, Z: "z" } }, { metadata: { Z: "z", a: 1, é: true, b: 2 } });
  });

  it("sorts metadata keys by UTF-16 code units, not by locale", () => {
    // Locale order puts "a" before "B"; code-unit order puts "B" (0x42) first.
    const section = Buffer.from([
      ...[TAG.metadata, 0, 0, 0, 2],
      ...[0, 0, 0, 1, 0x42, TAG.number, 0, 0, 0, 1, 0x32],
      ...[0, 0, 0, 1, 0x61, TAG.number, 0, 0, 0, 1, 0x31],
    ]);
    assert.ok(encode({ metadata: { a: 1, B: 2 } }).includes(section));
  });

  it("ignores properties outside the signed fields", () => {
    const withExtras = { ...makeFields(), _id: "log-1", mac: "x", time: new Date() } as SignedLogFields;
    assert.deepEqual(encodeCanonicalLog(withExtras), encode());
  });

  it("encodes unicode text byte for byte: emoji, combining characters, RTL", () => {
    for (const text of ["👋🏽 done", "e\u0301\u0302", "مرحبا بالعالم", "שלום \u202Eabc"]) {
      const bytes = encode({ message: text });
      assert.ok(bytes.includes(Buffer.from(text, "utf8")), text);
    }
    assertDistinct({ message: "👋" }, { message: "👋🏽" });
  });

  it("does not normalise: NFC and NFD forms of 'é' give different encodings", () => {
    const nfc = "caf\u00e9";
    const nfd = "cafe\u0301";
    assert.equal(nfc.normalize("NFD"), nfd);
    assertDistinct({ user: nfc }, { user: nfd });
    assertDistinct({ metadata: { [nfc]: 1 } }, { metadata: { [nfd]: 1 } });
  });

  it("refuses a lone surrogate, which UTF-8 would turn into U+FFFD", () => {
    assert.throws(() => encode({ user: "a\uD800b" }), CanonicalEncodingError);
    assert.throws(() => encode({ metadata: { "\uDC00": 1 } }), CanonicalEncodingError);
  });

  it("encodes -0 as 0", () => {
    assertSame({ metadata: { n: -0 } }, { metadata: { n: 0 } });
    assertSame({ sequence: -0 }, { sequence: 0 });
  });

  it("rejects NaN and Infinity in metadata", () => {
    for (const n of [NaN, Infinity, -Infinity]) {
      assert.throws(() => encode({ metadata: { n } }), CanonicalEncodingError, String(n));
    }
  });

  it("rejects a sequence that is not a safe non-negative integer", () => {
    for (const sequence of [2 ** 53, -1, 1.5, NaN, Infinity, "1" as unknown as number]) {
      assert.throws(() => encode({ sequence }), CanonicalEncodingError, String(sequence));
    }
    assert.doesNotThrow(() => encode({ sequence: Number.MAX_SAFE_INTEGER }));
  });

  it("rejects fields of the wrong type instead of converting them", () => {
    assert.throws(() => encode({ user: 42 as unknown as string }), CanonicalEncodingError);
    assert.throws(() => encode({ source: 1 as unknown as string }), CanonicalEncodingError);
    assert.throws(() => encode({ received_at: "2025-01-01" as unknown as Date }), CanonicalEncodingError);
    assert.throws(() => encode({ received_at: new Date("nope") }), CanonicalEncodingError);
    assert.throws(() => encode({ metadata: ["a"] as never }), CanonicalEncodingError);
    assert.throws(() => encode({ metadata: { a: null } as never }), CanonicalEncodingError);
    assert.throws(() => encode({ metadata: { a: { b: 1 } } as never }), CanonicalEncodingError);
    assert.throws(() => encode({ metadata: { a: 1n } as never }), CanonicalEncodingError);
  });

  it("encodes received_at as its millisecond UTC ISO string", () => {
    assert.ok(encode().includes(Buffer.from("2025-01-01T00:00:01.234Z")));
    assertDistinct({}, { received_at: new Date("2025-01-01T00:00:01.235Z") });
  });
});
