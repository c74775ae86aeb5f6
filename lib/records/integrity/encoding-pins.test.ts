// Pinned outputs of log signing, computed apart from the one-buffer encoder:
// MACs, leaf hashes and encodings are a persisted, verified format, so any
// byte of difference must fail here.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { encodeCanonicalLog, encodeLogLeaf, type SignedLogFields } from "./canonical";
import { parseKeyring } from "./keyring";
import { signLog, verifyLogMac } from "./mac";
import { logLeafHash, sha256, summaryLeafHash, voidLeafHash } from "./merkle";
import { makeSignedFields } from "./signed-fields.fixture";

const keyring = parseKeyring(`k1:${Buffer.alloc(32, 7).toString("base64")}`, undefined);

const sha256Hex = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

type Pinned = { canonical: string; mac: string; leaf: string; leafContent: string };

/** Overrides of makeSignedFields; `canonical` and `leafContent` are the SHA-256 of the encodings. */
const SIGNED: [string, Partial<SignedLogFields>, Pinned][] = [
  [
    "no optional fields",
    {},
    {
      canonical: "66c7e9bf2cdf0e2e22d3e4cb2aa7f36896e94935c2812a0a94ee2ce30477f5fe",
      mac: "17f3fe8fd56dd63c423c86e878784572b5fe38851ca5eec9d181c65b615b214e",
      leaf: "e3f5852bf385610c8136e6310731aba8b9d1bed4df75c06af94d4629afd470bf",
      leafContent: "d5b0155e8f93cbef4790c1f49f9b4b3147cd234920486b579d68c3b82a3dfa2f",
    },
  ],
  [
    "every optional field",
    { source: "web-1", message: "signed in", metadata: { attempts: 3, mfa: true, agent: "curl/8" } },
    {
      canonical: "3af5fd58d6c8dc058826b424c6444fa0e0a06cf2396c258972975128c6be4849",
      mac: "7cac207ae710854db9c8b9f41ad344a9326a2fc3c2328526b2e37007cd600e4b",
      leaf: "9dfc97be0a68f6922c56ad798c60e9392fc60105d5efdb8e0a234cee5087c9d8",
      leafContent: "19413af8f8eff54a4777dc29e86af184138649b2f5ab118076bb7ce8de996f85",
    },
  ],
  [
    "empty optional fields",
    { source: "", message: "", metadata: {} },
    {
      canonical: "f33808e866d15847e44afb273a4b7e502d228ac3190cd155c25d27b16cdebe86",
      mac: "1c58921cf8d24b4ddd6d9e79202eae7a4bc886b9fd79c41bcb2cb0ffd61a3ab8",
      leaf: "7c6d64a8d0007552ce631bd7a2704ab5a2acc238052f24651c9d4c5fc4416d17",
      leafContent: "b1b717050eb4cdd9c4b4bc098c5ed38d568d2520dc30f3de5dcd2d5882a41b04",
    },
  ],
  [
    "optional fields stored as null",
    { source: null, message: null, metadata: null } as never,
    {
      canonical: "66c7e9bf2cdf0e2e22d3e4cb2aa7f36896e94935c2812a0a94ee2ce30477f5fe",
      mac: "17f3fe8fd56dd63c423c86e878784572b5fe38851ca5eec9d181c65b615b214e",
      leaf: "e3f5852bf385610c8136e6310731aba8b9d1bed4df75c06af94d4629afd470bf",
      leafContent: "d5b0155e8f93cbef4790c1f49f9b4b3147cd234920486b579d68c3b82a3dfa2f",
    },
  ],
  [
    "unicode: emoji, combining marks, RTL, NFD",
    { user: "👋🏽 zoë", action: "e\u0301\u0302", source: "שלום \u202Eabc", message: "مرحبا cafe\u0301 😀" },
    {
      canonical: "97630efb4a2c3ab900fa7abe2cdfcc13da8826b56541d82a5fb91f01d45a9fe9",
      mac: "b3d5230fdf955432742fa9a831289bd3fcd4f4bf4dd80eb4442ab2f040b0c3aa",
      leaf: "7c8407d81fa0bf30c5ae964a93233489a8a03aa1b39c5f6fa6126fc8ace200db",
      leafContent: "638a606983d612317258b88fdc1b05aa7181f76f05c99e0a6bdf95e222328e5e",
    },
  ],
  [
    "metadata of every value type, keys in code-unit order",
    {
      metadata: {
        s: "é👋",
        empty: "",
        int: 42,
        neg: -7,
        float: 0.1,
        negZero: -0,
        big: 1e21,
        tiny: 5e-324,
        yes: true,
        no: false,
        B: 1,
        a: 2,
        é: 3,
        "😀": 4,
      },
    },
    {
      canonical: "c61f32759560311fbb566549ff8f95350aa999a8dec0ee021bc42f067037f58d",
      mac: "b21264673fba0c2020c932af626f8415baa585a73ec115c5aeffb98e396b2e0f",
      leaf: "1044b332236548cf4b684d5fee2b4d979aade7fcf5b8f64ffef8e04b92c1f727",
      leafContent: "d1720d451d9c1cc428697df1730d85c8ec30471124e8862bc1baf3f1725cd5e1",
    },
  ],
  [
    "32 metadata keys of 64 characters, values of 1024",
    {
      metadata: Object.fromEntries(
        Array.from({ length: 32 }, (_, i) => [String(i).padStart(64, "k"), "v👋".repeat(341) + String(i)]),
      ),
    },
    {
      canonical: "9452bac42e2bc75303de9f71a6dc7ca3157fcfabd5e5bdc2a75d89d1033a349c",
      mac: "6f403fdfe7eaa2db0dc1be7eac81d9a52257bbbfc73ed51e1caadc4005e6421b",
      leaf: "acad4c979a5059b7457f9404ebb9780f7083b8d96c809e9760143b96f46ee47e",
      leafContent: "c33bda1e5bce57227343f7b724fa7f7cc7fc67812f6bfe8e5f1af150e4c2182e",
    },
  ],
  [
    "a message of 8192 three-byte characters",
    { message: "€".repeat(8192) },
    {
      canonical: "fd9fde5e85333df24dc336c42c60c169ab1d18df828ca74791fd74b29f3fac54",
      mac: "9e2066c0c3ed581d60d0f1acd12ce4bae3b5de492849dacac654b1a3cc58e5d7",
      leaf: "7ebaac0def6b6c6c24f9ec77255587e415db4bf52b659a3c8d3c065071393cb8",
      leafContent: "256f7bd0d350c78333053433e3f0f9b9f7c33d0a99884629965156d3e0dc9106",
    },
  ],
  [
    "an IPv6 address",
    { ip: "2001:db8::1" },
    {
      canonical: "89d5f63cf81402b584853443a5132cd527f5e64901172b3b7c67717b9803eec4",
      mac: "d40ff92b5261dcb8a9bcf3382734d807fb2c660e3861a546ffd77457e21d2d9d",
      leaf: "f52de3f493bdee1cf0ef11aba6cf895c3c53ca2a11a73ee7b09fea4eb40be4e5",
      leafContent: "8b0fbc0f07f62c5b57f07586fd8e41fd6a1b3aeae82fa17fd3dd93bee5a15468",
    },
  ],
  [
    "an IPv4-mapped IPv6 address",
    { ip: "::ffff:10.0.0.1" },
    {
      canonical: "5ab072ce6636ce0adf5e34c926b2573cb3bdb877906e718d1e511fbdc53ccd1d",
      mac: "a056b4f7e82dd68ffdec9c92bfb258b55c1d6bc5d0bd154ebd98d24cf07516ff",
      leaf: "94d05fb4f425800a68f0a2cad4ecd01ec4ba913c4dd9f7417ad6f756ac018129",
      leafContent: "9d037b6f95458a83f9c2563de654d19a262fd6c651306a22bab358eca68f9528",
    },
  ],
  [
    "received at the epoch",
    { received_at: new Date(0) },
    {
      canonical: "5d81ca9dde7ac0f0c2e421929d8b85ea7aee4c56b76aedda44109036aad7921d",
      mac: "be8a6db53a41b8c47f5195107b63a01a7c07c8ddba5271f5f6d06f982baa696d",
      leaf: "4ea80d9ff332488769332aa8ffcabcd7a61f368b0f03dc49b5cf8c636868524d",
      leafContent: "f75f2df41d8bbceb2a53ea797954e397f98f609d30657bc60a7aa0b8742c1f7a",
    },
  ],
  [
    "received 1 ms before the epoch",
    { received_at: new Date(-1) },
    {
      canonical: "f4f29ba90dfef6111e8ccc8ba759436d11591c844a7abb714f6597e48c17107b",
      mac: "fbf316f0a18919ebca07e904cbd20f988c06a66adde9cd92d26e678980128441",
      leaf: "1bdfba30c7a19d6d5df12cc57c1f7af6b0e68d668553634edcad40d826a3ac5d",
      leafContent: "23ee7225ef7196e04e02b329deb04dea6dbde2ea047d0f01dffbf6b9c0f20150",
    },
  ],
  [
    "received at the last ms of a second",
    { received_at: new Date("2025-01-01T23:59:59.999Z") },
    {
      canonical: "4b545cd856bfa86ee5eb9ef358ad9fb19cbc2476080c4a6f65402f5a8cda3136",
      mac: "b3c5a2deaf2dcdf7ffe6c61adfac2d2dcf9616900325c03230a7ffe2b333c249",
      leaf: "a72f5ae0d4f581f41bd38e77c1b233f011e4a005a5c539faf0770ab246c2f578",
      leafContent: "b69cc81e84ef91656a65ad353137a512932d6bb0f769a0568084cd49728aaa67",
    },
  ],
  [
    "received at the last ms of year 9999",
    { received_at: new Date("9999-12-31T23:59:59.999Z") },
    {
      canonical: "b12ac265cf9e6ab9c3b1a6dc5f56d38029e18e96ed982917ee13b4ca68e2cce8",
      mac: "a4bfba23a740bc17d3a95ccd0524443f452c29f121c81e0264691819a5871fd9",
      leaf: "2e0fb01360042a6633fec114c50bbea01629b9c15da6c89326e87211f2225106",
      leafContent: "85188f45b79cf0e23e6caa54b3a42bc6833501d566a0c2e88259246d706623f9",
    },
  ],
  [
    "received in year 10000",
    { received_at: new Date(253402300800000) },
    {
      canonical: "5cc54cb09e9cb1db7d0cb02238c21258b78bfe2e7b9c59ebf6fddf8e2478a839",
      mac: "b92f1e6b01672cae2fd61a544a9ba7a67a52d35217dcf80d5b446a370fed8fec",
      leaf: "766f0d02682a468a048f40449eb8a8e8fbca8de2ecd1421e13ab1aaddfbf1ee6",
      leafContent: "f6f2e637408001d333c7059b03772a328cb3eb8c8fe23f5859e6e2c15652fef0",
    },
  ],
  [
    "a timestamp with an offset and nanoseconds",
    { timestamp: "2025-01-01T01:00:00.123456789+01:00" },
    {
      canonical: "3cdac3de5d983dc9d257de9c17b8c1f4e3265612c78965779000699c65e4cead",
      mac: "a85dc6744a07db8bcbd2439a3c645a068c6017ad8c0e8c6b9a9cb8da397d7b56",
      leaf: "6bfc6e1bd84875173399bb88b9fd0648c73a8c4983a902bb9ebc88c6ce1bc3b0",
      leafContent: "763053ac48dadd489fca79297e8cf8ddb57d938b0896e48ba923ddb769e2e3b6",
    },
  ],
  [
    "sequence 0",
    { sequence: 0 },
    {
      canonical: "e9b5142bc2760f7ae541e9eb9d10e2fdb7fa78b13cec4a90b30b952903764c97",
      mac: "0afac692e0e3db852cdda6ad49104a151f1cd185832665632b23d1b0a849f916",
      leaf: "d0c8e2316e74c4e3594b3ec302f8fc97b5d3ccb947188ed97bee5c5ae287c97f",
      leafContent: "eeeffc6568682ff3ff0f787910cdae728359ae6abe39c9abd2d4c1862d88eb01",
    },
  ],
  [
    "the largest safe sequence",
    { sequence: Number.MAX_SAFE_INTEGER },
    {
      canonical: "a53a8f3fcb751b1ac70a5846fd94ccb60d26c73d84bad5cce630ea71b81eae90",
      mac: "3aad816ce9b0b9f90717c2769be32320513ff5e5f9065766fbfdfb9b13afe8f3",
      leaf: "1af3da003ab7af55b6409d903c6d9050be500e3b7c64b0325d784159158e3886",
      leafContent: "9ceff3a0a23ae25a8e07909b166ae69c736486b971fe6a045eae698c56cd62cb",
    },
  ],
  [
    "failed status",
    { status: "failed" },
    {
      canonical: "a6a61f5d816d03e05ebcb6e1cb41f32ac301ac8d594ceb1a7849f05bc00de916",
      mac: "37b8dfcb597f32f067990d6d5e73baadfaf8e0a28bd4ec506dfbc0872c794e6a",
      leaf: "2d70b19452de0127be28fa1355a54b3a8e7da73ce032fa81d8eb71e4b4fa9c3f",
      leafContent: "3f80347d13ff112380c81621033e4665a072ec94cc968f21dba2488e03691de5",
    },
  ],
  // Version 2 (with ingested_by), pinned from an independent Python encoder of the documented layout.
  [
    "version 2: ingested by an API key",
    { ingested_by: "key:4f2a" },
    {
      canonical: "67e495c8b3139888f9f5fc1e00ab93c09f04672a76a03501fcc26d0334c85d2f",
      mac: "c3e9ff949a1365feb2c320ca01ea1da93f909b634128d7e514928b0181b9696b",
      leaf: "0d01c714ae85536cc9e90445e2fb3baae7f843ddd5acb1621c39f6669ee2903f",
      leafContent: "528d7fb15287eda78b3f41fe12bc58a0b76a6f35f8457bc78e9e63370199fa2b",
    },
  ],
  [
    "version 2: every optional field, uploaded",
    {
      source: "web-1",
      message: "signed in",
      metadata: { attempts: 3, mfa: true, agent: "curl/8" },
      ingested_by: "import:ann@example.com",
    },
    {
      canonical: "30fb4f1c77e6df6569e2e15a78ab3f04044305f8ecbc9520ac075e03b8d05f4d",
      mac: "a461fdf931ba2a6c2d0027b2f59d6fcd18f383b56c1e541988e394d5ca429a75",
      leaf: "21c7ed0673b6d9edeea49332ee112533e20e96534c92f3826de67d098c5c054c",
      leafContent: "8a5c0c11f8d2068c5495fd03c22575df20f2a0f1c714a0c69c2af594d6da41fa",
    },
  ],
  [
    "version 2: no ip",
    { ip: undefined, ingested_by: "ledgerline" } as never,
    {
      canonical: "37c5148cd959f375c3305112b88087d1e68b068c64c76b11f796f4d671b78eea",
      mac: "1eab2317e584906f41dea2f8055f1bebfd1b21a2d06a5b50d66930e778d767ec",
      leaf: "991631c84e66e27ed8ec1cc87c33fda1a711b6a82c4b977ce2d812aa2d38ac42",
      leafContent: "9305d242e5b54d9821a0e98675160428a756fe630b7a28090d136006daafda9a",
    },
  ],
];

const VOID_LEAVES: [number, string][] = [
  [0, "500fd7a84c01e0c8279fac74ae107b2fa8e6fa0f1a9e179f241c3f2e02a57d27"],
  [1, "94fe29bba7f9011934eff194a90ecfa8deb57fc047af4167a2c3e9755b1703bb"],
  [42, "08995c2a709829d10012e67857540b30508886d7e110af8f9817a1f6fd002536"],
  [Number.MAX_SAFE_INTEGER, "d03b48dd70c93b8ca47479de5abe4b02e762ae79713d7152be5d14063ff41cbc"],
];

const REFUSED: [Record<string, unknown>, string][] = [
  [{ log_id: 1 }, "CanonicalEncodingError: log_id must be a string"],
  [{ timestamp: undefined }, "CanonicalEncodingError: timestamp must be a string"],
  [{ received_at: "2025-01-01T00:00:00Z" }, "CanonicalEncodingError: received_at must be a valid Date"],
  [{ received_at: new Date(NaN) }, "CanonicalEncodingError: received_at must be a valid Date"],
  [{ ip: "\uD800" }, "CanonicalEncodingError: ip is not well-formed Unicode"],
  [{ user: "a\uD800b" }, "CanonicalEncodingError: user is not well-formed Unicode"],
  [{ action: "\uDC00" }, "CanonicalEncodingError: action is not well-formed Unicode"],
  [{ status: "\uDBFF" }, "CanonicalEncodingError: status is not well-formed Unicode"],
  [{ source: 1 }, "CanonicalEncodingError: source must be a string when present"],
  [{ source: "x\uDFFF" }, "CanonicalEncodingError: source is not well-formed Unicode"],
  [{ message: {} }, "CanonicalEncodingError: message must be a string when present"],
  [{ message: "\uD83D" }, "CanonicalEncodingError: message is not well-formed Unicode"],
  [{ metadata: [] }, "CanonicalEncodingError: metadata must be a plain object"],
  [{ metadata: "a=1" }, "CanonicalEncodingError: metadata must be a plain object"],
  [{ metadata: new Map() }, "CanonicalEncodingError: metadata must be a plain object"],
  [{ metadata: { "\uDC00": 1 } }, "CanonicalEncodingError: metadata key is not well-formed Unicode"],
  [{ metadata: { a: "\uD800" } }, "CanonicalEncodingError: metadata value is not well-formed Unicode"],
  [{ metadata: { a: null } }, "CanonicalEncodingError: metadata values must be strings, numbers or booleans, got null"],
  [{ metadata: { a: {} } }, "CanonicalEncodingError: metadata values must be strings, numbers or booleans, got object"],
  [{ metadata: { a: 1n } }, "CanonicalEncodingError: metadata values must be strings, numbers or booleans, got bigint"],
  [
    { metadata: { a: undefined } },
    "CanonicalEncodingError: metadata values must be strings, numbers or booleans, got undefined",
  ],
  [{ metadata: { a: NaN } }, "CanonicalEncodingError: metadata numbers must be finite, got NaN"],
  [{ metadata: { a: -Infinity } }, "CanonicalEncodingError: metadata numbers must be finite, got -Infinity"],
  [{ sequence: -1 }, "CanonicalEncodingError: sequence must be a safe non-negative integer"],
  [{ sequence: 1.5 }, "CanonicalEncodingError: sequence must be a safe non-negative integer"],
  [{ sequence: 2 ** 53 }, "CanonicalEncodingError: sequence must be a safe non-negative integer"],
  [{ sequence: "1" }, "CanonicalEncodingError: sequence must be a safe non-negative integer"],
  [{ key_id: 7 }, "CanonicalEncodingError: key_id must be a string"],
  [{ key_id: "\uD800" }, "CanonicalEncodingError: key_id is not well-formed Unicode"],
  [{ ingested_by: 7 }, "CanonicalEncodingError: ingested_by must be a string"],
  [{ ingested_by: "\uDC00" }, "CanonicalEncodingError: ingested_by is not well-formed Unicode"],
  [{ ip: 7, ingested_by: "key:a" }, "CanonicalEncodingError: ip must be a string when present"],
  [{ user: "\uD800", metadata: { a: null }, sequence: -1 }, "CanonicalEncodingError: user is not well-formed Unicode"],
  [{ message: 1, metadata: "x" }, "CanonicalEncodingError: message must be a string when present"],
  [
    { metadata: { a: null }, sequence: -1 },
    "CanonicalEncodingError: metadata values must be strings, numbers or booleans, got null",
  ],
];

function unsigned(fields: SignedLogFields): Omit<SignedLogFields, "key_id"> {
  const { key_id: _keyId, ...rest } = fields;
  return rest;
}

describe("pinned signing outputs", () => {
  for (const [name, overrides, pinned] of SIGNED) {
    it(`encodes, signs and hashes ${name} exactly as pinned`, () => {
      const fields = makeSignedFields(overrides);
      const canonical = encodeCanonicalLog(fields);
      assert.equal(sha256Hex(canonical), pinned.canonical);
      assert.equal(sha256Hex(encodeLogLeaf(fields, sha256(canonical))), pinned.leafContent);
      const signed = signLog(unsigned(fields), keyring);
      assert.deepEqual(
        { key_id: signed.key_id, mac: signed.mac, leaf: signed.leaf.toString("hex") },
        { key_id: "k1", mac: pinned.mac, leaf: pinned.leaf },
      );
      assert.equal(logLeafHash(fields).toString("hex"), pinned.leaf);
      assert.equal(summaryLeafHash(fields, sha256(canonical)).toString("hex"), pinned.leaf);
      assert.equal(verifyLogMac({ ...fields, mac: pinned.mac }, keyring), "valid");
    });
  }

  it("gives the same outputs when logs are signed one after another, long and short mixed", () => {
    const expected = SIGNED.map(([, , pinned]) => pinned.mac);
    const signed = [...SIGNED, ...SIGNED].map(
      ([, overrides]) => signLog(unsigned(makeSignedFields(overrides)), keyring).mac,
    );
    assert.deepEqual(signed, [...expected, ...expected]);
  });

  it("encodes a received_at changed in place by its time at the call", () => {
    const receivedAt = new Date("2025-01-01T00:00:01.234Z");
    const before = encodeCanonicalLog(makeSignedFields({ received_at: receivedAt }));
    receivedAt.setTime(receivedAt.getTime() + 1);
    const after = encodeCanonicalLog(makeSignedFields({ received_at: receivedAt }));
    assert.notDeepEqual(after, before);
    assert.deepEqual(
      after,
      encodeCanonicalLog(makeSignedFields({ received_at: new Date("2025-01-01T00:00:01.235Z") })),
    );
  });

  it("hashes void leaves exactly as pinned", () => {
    for (const [sequence, leaf] of VOID_LEAVES)
      assert.equal(voidLeafHash(sequence).toString("hex"), leaf, String(sequence));
  });

  it("refuses what it cannot encode with the pinned message, naming the first bad field in layout order", () => {
    for (const [overrides, pinned] of REFUSED) {
      const fields = makeSignedFields(overrides as Partial<SignedLogFields>);
      const expected = { name: "CanonicalEncodingError", message: pinned.replace("CanonicalEncodingError: ", "") };
      assert.throws(() => encodeCanonicalLog(fields), expected);
      // Signing takes the key id from the keyring, so only the other fields can fail it.
      if ("key_id" in overrides) continue;
      assert.throws(() => signLog(unsigned(fields), keyring), expected);
      assert.equal(verifyLogMac({ ...fields, mac: "0".repeat(64) }, keyring), "tampered");
    }
  });
});
