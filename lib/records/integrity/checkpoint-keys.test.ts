import assert from "node:assert/strict";
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { describe, it } from "node:test";
import { inspect } from "node:util";
import {
  CheckpointKeyError,
  generateCheckpointKeySpec,
  parseCheckpointKeys,
  publicKeySetFromJson,
  publicKeySetFromSigner,
} from "./checkpoint-keys";

const specNew = generateCheckpointKeySpec("ck1");
const specOld = generateCheckpointKeySpec("ck0");
const secretOf = (spec: string) => spec.slice(spec.indexOf(":") + 1);
const data = Buffer.from("checkpoint bytes");

function pkcs8(key: KeyObject): string {
  return key.export({ format: "der", type: "pkcs8" }).toString("base64url");
}

function assertKeyError(run: () => unknown, message: RegExp, secrets: string[] = []) {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof CheckpointKeyError, String(error));
    assert.match(error.message, message);
    for (const secret of secrets) assert.ok(!error.message.includes(secret), "message leaks secret material");
    return true;
  });
}

describe("parseCheckpointKeys", () => {
  it("signs with the first key by default, and its public key verifies", () => {
    const signer = parseCheckpointKeys(`${specNew},${specOld}`, undefined);
    assert.equal(signer.activeKeyId, "ck1");
    const { key_id, signature } = signer.sign(data);
    assert.equal(key_id, "ck1");
    assert.match(signature, /^[A-Za-z0-9_-]{86}$/);
    assert.equal(publicKeySetFromSigner(signer).verify(data, key_id, signature), "valid");
  });

  it("uses the named active key and lists every public key with its state", () => {
    const signer = parseCheckpointKeys(` ${specNew} ,\n${specOld} `, " ck0 ");
    assert.equal(signer.sign(data).key_id, "ck0");
    const keys = signer.publicKeys();
    assert.deepEqual(
      keys.map(({ key_id, active }) => [key_id, active]),
      [
        ["ck1", false],
        ["ck0", true],
      ],
    );
    for (const { pem } of keys) assert.match(pem, /^-----BEGIN PUBLIC KEY-----\n[^]+\n-----END PUBLIC KEY-----\n$/);
  });

  it("keeps old signatures verifiable after a rotation puts a new key first", () => {
    const before = parseCheckpointKeys(specOld, undefined);
    const oldSignature = before.sign(data);
    const after = parseCheckpointKeys(`${specNew},${specOld}`, undefined);
    const keys = publicKeySetFromSigner(after);
    assert.equal(keys.verify(data, oldSignature.key_id, oldSignature.signature), "valid");
    const newSignature = after.sign(data);
    assert.equal(newSignature.key_id, "ck1");
    assert.equal(keys.verify(data, newSignature.key_id, newSignature.signature), "valid");
    assert.equal(
      publicKeySetFromSigner(before).verify(data, newSignature.key_id, newSignature.signature),
      "unknown_key",
    );
  });

  it("says what the variable holds when it is not set", () => {
    for (const value of [undefined, "", "  "]) {
      assertKeyError(
        () => parseCheckpointKeys(value, undefined),
        /LEDGERLINE_CHECKPOINT_KEYS is not set.*Ed25519.*PKCS#8/,
      );
    }
  });

  it("names bad entries by position and never echoes key material", () => {
    const secret = secretOf(specNew);
    assertKeyError(() => parseCheckpointKeys(`${specOld},`, undefined), /LEDGERLINE_CHECKPOINT_KEYS: entry 2 is empty/);
    assertKeyError(
      () => parseCheckpointKeys(`${specOld},${secret}`, undefined),
      /entry 2 is not in the form keyId:key/,
      [secret],
    );
    assertKeyError(
      () => parseCheckpointKeys(`${secret.slice(0, 10)}.x:${secret}`, undefined),
      /entry 1 has an invalid key id/,
      [secret, secret.slice(0, 10)],
    );
    assertKeyError(
      () => parseCheckpointKeys(`ck1:${secret}==`, undefined),
      /entry 1 \(key id "ck1"\): the key is not valid unpadded base64url/,
      [secret],
    );
    assertKeyError(
      () => parseCheckpointKeys(`ck1:${secret.slice(0, -4)}`, undefined),
      /entry 1 \(key id "ck1"\): the key is not a PKCS#8 DER private key/,
      [secret.slice(0, -4)],
    );
    assertKeyError(() => parseCheckpointKeys("ck1:", undefined), /not valid unpadded base64url/);
  });

  it("refuses a duplicate key id and an unknown active key id", () => {
    assertKeyError(
      () => parseCheckpointKeys(`${specNew},ck1:${secretOf(specOld)}`, undefined),
      /key id "ck1" appears more than once/,
    );
    assertKeyError(
      () => parseCheckpointKeys(specNew, "ck9"),
      /LEDGERLINE_CHECKPOINT_ACTIVE_KEY: "ck9" is not one of the key ids in LEDGERLINE_CHECKPOINT_KEYS \(ck1\)/,
    );
    const secret = secretOf(specOld);
    assertKeyError(() => parseCheckpointKeys(specNew, secret), /the given key id is not one/, [secret]);
  });

  it("refuses RSA, X25519 and Ed448 private keys", () => {
    const others = [
      ["rsa", generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey],
      ["x25519", generateKeyPairSync("x25519").privateKey],
      ["ed448", generateKeyPairSync("ed448").privateKey],
    ] as const;
    for (const [type, key] of others) {
      const secret = pkcs8(key);
      assertKeyError(
        () => parseCheckpointKeys(`ck1:${secret}`, undefined),
        new RegExp(`key id "ck1"\\): the key is ${type}, an Ed25519 key is needed`),
        [secret],
      );
    }
  });

  it("never shows private keys in JSON or inspect output", () => {
    const signer = parseCheckpointKeys(`${specNew},${specOld}`, "ck0");
    const shown = [
      JSON.stringify(signer),
      inspect(signer),
      inspect(signer, { showHidden: true, depth: 5 }),
      String(signer),
    ];
    for (const text of shown) {
      for (const secret of [secretOf(specNew), secretOf(specOld)]) {
        assert.ok(!text.includes(secret), `leaks a private key: ${text}`);
        assert.ok(
          !text.includes(Buffer.from(secret, "base64url").subarray(-32).toString("base64")),
          `leaks a private key: ${text}`,
        );
      }
    }
    assert.deepEqual(JSON.parse(JSON.stringify(signer)), { activeKeyId: "ck0", keyIds: ["ck1", "ck0"] });
    assert.match(inspect(signer), /CheckpointSigner \{ activeKeyId: 'ck0', keyIds: \['ck1', 'ck0'\] \}/);
  });
});

describe("generateCheckpointKeySpec", () => {
  it("makes a fresh Ed25519 PKCS#8 entry that parses", () => {
    assert.match(specNew, /^ck1:[A-Za-z0-9_-]{64}$/);
    assert.notEqual(generateCheckpointKeySpec("ck1"), specNew);
    assert.equal(parseCheckpointKeys(specNew, undefined).activeKeyId, "ck1");
  });

  it("refuses an invalid key id", () => {
    assertKeyError(() => generateCheckpointKeySpec("bad id"), /key id must be/);
  });
});

describe("PublicKeySet", () => {
  const signer = parseCheckpointKeys(`${specNew},${specOld}`, undefined);
  const keys = publicKeySetFromSigner(signer);
  const { key_id, signature } = signer.sign(data);

  it("round-trips through the JSON that the public-key endpoint serves", () => {
    const served = JSON.parse(JSON.stringify({ keys: signer.publicKeys() })) as unknown;
    const fromJson = publicKeySetFromJson(served);
    assert.equal(fromJson.verify(data, key_id, signature), "valid");
    assert.deepEqual(fromJson.keys(), signer.publicKeys());
    assert.deepEqual(JSON.parse(JSON.stringify(fromJson)), served);
  });

  it("finds tampered data or a tampered signature invalid", () => {
    assert.equal(keys.verify(Buffer.from("checkpoint bytez"), key_id, signature), "invalid");
    const bytes = Buffer.from(signature, "base64url");
    bytes[10]! ^= 1;
    assert.equal(keys.verify(data, key_id, bytes.toString("base64url")), "invalid");
    assert.equal(keys.verify(data, "ck0", signature), "invalid");
  });

  it("reports a key id it does not hold as unknown_key", () => {
    assert.equal(keys.verify(data, "ck9", signature), "unknown_key");
    assert.equal(keys.verify(data, 7 as unknown as string, signature), "unknown_key");
  });

  it("never throws on a malformed signature", () => {
    const malformed = [
      "",
      "AAAA",
      signature.slice(0, -1),
      `${signature}A`,
      `${signature}==`,
      signature.replace(/.$/, "!"),
      Buffer.from(signature, "base64url").toString("base64"),
      42,
      null,
    ];
    for (const bad of malformed) assert.equal(keys.verify(data, key_id, bad as string), "invalid", String(bad));
    assert.equal(keys.verify("checkpoint bytes" as unknown as Buffer, key_id, signature), "invalid");
  });

  it("accepts only the canonical base64url spelling of a signature", () => {
    // 64 bytes fill 85⅓ characters: the last one carries 4 spare bits that the decoder ignores.
    const last = signature.at(-1)!;
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const twin = alphabet[alphabet.indexOf(last) ^ 1]!;
    const respelled = signature.slice(0, -1) + twin;
    assert.deepEqual(Buffer.from(respelled, "base64url"), Buffer.from(signature, "base64url"));
    assert.equal(keys.verify(data, key_id, respelled), "invalid");
  });

  it("refuses JSON of another shape, naming where", () => {
    const good = signer.publicKeys();
    const cases: [unknown, RegExp][] = [
      [null, /public key set: keys: /],
      [{ keys: [] }, /keys: must list at least one key/],
      [{ keys: [{ ...good[0], key_id: "bad id" }] }, /keys\.0\.key_id: must be 1-32 letters/],
      [{ keys: [{ ...good[0], active: "yes" }] }, /keys\.0\.active: /],
      [{ keys: [good[0], { ...good[1], key_id: "ck1" }] }, /key id "ck1" appears more than once/],
      [{ keys: good.map((key) => ({ ...key, active: true })) }, /more than one key is marked active/],
    ];
    for (const [json, message] of cases) assertKeyError(() => publicKeySetFromJson(json), message);
  });

  it("refuses PEMs that are not Ed25519 public keys, without echoing a private one", () => {
    const ed25519 = generateKeyPairSync("ed25519");
    const privatePem = ed25519.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const pems = [
      privatePem,
      generateKeyPairSync("x25519").publicKey.export({ type: "spki", format: "pem" }).toString(),
      generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ type: "spki", format: "pem" }).toString(),
      ed25519.publicKey.export({ type: "spki", format: "pem" }).toString().replace("MCow", "MCoW"),
      "not a pem",
    ];
    for (const pem of pems) {
      assertKeyError(
        () => publicKeySetFromJson({ keys: [{ key_id: "ck1", pem, active: true }] }),
        /keys\.0 \(key id "ck1"\): pem is not an Ed25519 public key in SPKI PEM form/,
        [privatePem.split("\n")[1]!],
      );
    }
  });
});
