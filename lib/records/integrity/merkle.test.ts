import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { VOID_VERSION, encodeCanonicalLog, encodeCanonicalVoid, type SignedLogFields } from "./canonical";
import {
  MerkleRootBuilder,
  leafHash,
  logLeafHash,
  merkleRoot,
  nodeHash,
  sha256,
  summaryLeafHash,
  voidLeafHash,
} from "./merkle";
import { makeSignedFields } from "./signed-fields.fixture";

// makeSignedFields()'s leaf, from the layouts in canonical.ts re-implemented in Python.
const DEFAULT_LOG_LEAF = "e3f5852bf385610c8136e6310731aba8b9d1bed4df75c06af94d4629afd470bf";

const EMPTY_ROOT = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// Computed independently with Python's hashlib from the RFC 9162 definition,
// over the leaves "", "a", "ab", "abc", ... (the first n of them).
const PREFIX_ROOTS = [
  EMPTY_ROOT,
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "688dc6244b041199e7ab4990df6340ce3dc14caa5cd5a0e1131addaa1209e1a6",
  "383e04b3c7a704f3c74bf0bdd1e1bc1b645cc4cd3a65623f3bd7ae331aea6a31",
  "8f81aec6982163362cc8ce0c08da70bfbaa97b5b6e54817a88c7f632089f0784",
  "eed92cb74de86bbba60dd0be941565d235d373ee576bc9033f0b0846d91b663b",
  "a0299ce82edbced9da18bc1a17d23fc3c2cf2875418cd28055f3d03436b48082",
  "064e85ca5dfb6c2571523dc2f66965d4f259726eea488d00975eec3ae155cbc0",
  "c73c83f393c6b07b1f589d42afc6e706b80f93b7abfe8ebfbbb7c17f414b2f7e",
];

// The reference vectors of Certificate Transparency's merkle_tree_test.cc
// (RFC 6962, same tree hash), also recomputed with hashlib.
const CT_LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];
const CT_ROOTS = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

// leafHash of the void encoding of sequence 5, computed independently with hashlib.
const VOID_5_LEAF = "2e169961790752b20f2c8153bf86983da605f33f50716b6c3c5fd5f3938f2530";

const randomLeaves = (n: number) => Array.from({ length: n }, () => leafHash(randomBytes(16)));

function buildRoot(leaves: Buffer[]): Buffer {
  const builder = new MerkleRootBuilder();
  for (const leaf of leaves) builder.add(leaf);
  return builder.root();
}

const makeFields = (overrides: Partial<SignedLogFields> = {}) => makeSignedFields({ sequence: 5, ...overrides });

describe("Merkle tree hash", () => {
  it("gives SHA-256 of the empty string for an empty tree", () => {
    assert.equal(merkleRoot([]).toString("hex"), EMPTY_ROOT);
    assert.equal(new MerkleRootBuilder().root().toString("hex"), EMPTY_ROOT);
  });

  it("gives the leaf hash itself for a one-leaf tree", () => {
    const leaf = leafHash(Buffer.from("x"));
    assert.deepEqual(merkleRoot([leaf]), leaf);
    assert.deepEqual(buildRoot([leaf]), leaf);
    assert.deepEqual(
      leaf,
      createHash("sha256")
        .update(Buffer.from([0x00]))
        .update("x")
        .digest(),
    );
  });

  it("matches independently computed roots over '', 'a', 'ab', ... for n = 0 to 8", () => {
    const leaves = PREFIX_ROOTS.slice(1).map((_, i) => leafHash(Buffer.from("abcdefgh".slice(0, i))));
    PREFIX_ROOTS.forEach((expected, n) => {
      assert.equal(merkleRoot(leaves.slice(0, n)).toString("hex"), expected, `recursive, n=${n}`);
      assert.equal(buildRoot(leaves.slice(0, n)).toString("hex"), expected, `builder, n=${n}`);
    });
  });

  it("matches the Certificate Transparency reference vectors for n = 1 to 8", () => {
    const leaves = CT_LEAVES.map((hex) => leafHash(Buffer.from(hex, "hex")));
    CT_ROOTS.forEach((expected, i) => {
      assert.equal(merkleRoot(leaves.slice(0, i + 1)).toString("hex"), expected, `recursive, n=${i + 1}`);
      assert.equal(buildRoot(leaves.slice(0, i + 1)).toString("hex"), expected, `builder, n=${i + 1}`);
    });
  });

  it("splits three leaves as (ab)c, not a(bc)", () => {
    const [a, b, c] = randomLeaves(3) as [Buffer, Buffer, Buffer];
    assert.deepEqual(merkleRoot([a, b, c]), nodeHash(nodeHash(a, b), c));
  });

  it("streams to the recursive root for every n from 0 to 70", () => {
    const leaves = randomLeaves(70);
    const builder = new MerkleRootBuilder();
    for (let n = 0; n <= 70; n++) {
      assert.equal(builder.size, n);
      assert.deepEqual(builder.root(), merkleRoot(leaves.slice(0, n)), `n=${n}`);
      if (n < 70) builder.add(leaves[n]!);
    }
  });

  it("copies leaves, so a caller reusing its buffer does not change the root", () => {
    const leaf = leafHash(Buffer.from("a"));
    const builder = new MerkleRootBuilder();
    builder.add(leaf);
    builder.add(leafHash(Buffer.from("b")));
    const before = builder.root();
    leaf.fill(0);
    assert.deepEqual(builder.root(), before);
  });

  it("refuses a leaf hash that is not 32 bytes", () => {
    for (const bad of [Buffer.alloc(31), Buffer.alloc(33), "ab".repeat(32) as unknown as Buffer]) {
      assert.throws(() => new MerkleRootBuilder().add(bad), TypeError);
      assert.throws(() => merkleRoot([bad]), TypeError);
    }
  });

  it("changes the root when one leaf is changed, dropped, duplicated or two are swapped", () => {
    const leaves = randomLeaves(11);
    const root = merkleRoot(leaves).toString("hex");
    const variants: [string, Buffer[]][] = [];
    for (let i = 0; i < leaves.length; i++) {
      variants.push([`change ${i}`, leaves.with(i, leafHash(Buffer.from(`other ${i}`)))]);
      variants.push([`drop ${i}`, leaves.toSpliced(i, 1)]);
      variants.push([`duplicate ${i}`, leaves.toSpliced(i, 0, leaves[i]!)]);
      if (i + 1 < leaves.length) variants.push([`swap ${i}`, leaves.with(i, leaves[i + 1]!).with(i + 1, leaves[i]!)]);
    }
    for (const [what, changed] of variants) {
      assert.notEqual(buildRoot(changed).toString("hex"), root, what);
    }
  });
});

describe("log and void leaves", () => {
  it("hashes a log's summary and content digest as a leaf (computed independently with hashlib)", () => {
    assert.equal(logLeafHash(makeSignedFields()).toString("hex"), DEFAULT_LOG_LEAF);
  });

  it("gives the same leaf from the summary and content digest alone", () => {
    const fields = makeFields({ message: "secret", metadata: { file: "payroll.xlsx" }, source: "vpn" });
    const { log_id: _logId, message: _message, metadata: _metadata, key_id: _keyId, ...summary } = fields;
    assert.deepEqual(summaryLeafHash(summary, sha256(encodeCanonicalLog(fields))), logLeafHash(fields));
  });

  it("changes the leaf when any signed field changes, shown in the summary or not", () => {
    const leaf = logLeafHash(makeFields()).toString("hex");
    for (const change of [
      { message: "x" },
      { metadata: { a: 1 } },
      { log_id: "other" },
      { key_id: "k2" },
      { user: "bob" },
      { source: "vpn" },
      { sequence: 2 },
    ]) {
      assert.notEqual(logLeafHash(makeFields(change)).toString("hex"), leaf, JSON.stringify(change));
    }
  });

  it("encodes a void as the tagged void version then the tagged sequence", () => {
    const version = Buffer.from(VOID_VERSION);
    const expected = Buffer.concat([
      Buffer.from([0x01, 0, 0, 0, version.length]),
      version,
      Buffer.from([0x02, 0, 0, 0, 2]),
      Buffer.from("42"),
    ]);
    assert.deepEqual(encodeCanonicalVoid(42), expected);
    assert.equal(voidLeafHash(5).toString("hex"), VOID_5_LEAF);
  });

  it("gives each sequence its own void leaf, different from any log leaf at that sequence", () => {
    assert.notDeepEqual(voidLeafHash(1), voidLeafHash(2));
    for (const sequence of [0, 1, 5, Number.MAX_SAFE_INTEGER]) {
      assert.notDeepEqual(encodeCanonicalVoid(sequence), encodeCanonicalLog(makeFields({ sequence })));
      assert.notDeepEqual(voidLeafHash(sequence), logLeafHash(makeFields({ sequence })));
    }
  });

  it("refuses a void sequence that is not a safe non-negative integer", () => {
    for (const sequence of [-1, 1.5, NaN, 2 ** 53]) {
      assert.throws(() => voidLeafHash(sequence), /sequence must be a safe non-negative integer/);
    }
  });
});
