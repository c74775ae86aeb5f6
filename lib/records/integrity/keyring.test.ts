import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { inspect } from "node:util";
import { KeyringError, generateKeySpec, parseKeyring } from "./keyring";

const secretA = randomBytes(32);
const secretB = randomBytes(48);
const specA = `k2026a:${secretA.toString("base64")}`;
const specB = `k2025:${secretB.toString("base64url")}`;

function assertKeyringError(run: () => unknown, message: RegExp, secrets: string[] = []) {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof KeyringError);
    assert.match(error.message, message);
    for (const secret of secrets) assert.ok(!error.message.includes(secret), "message leaks secret material");
    return true;
  });
}

describe("parseKeyring", () => {
  it("reads base64 and base64url secrets and makes the first key active by default", () => {
    const keyring = parseKeyring(`${specA},${specB}`, undefined);
    assert.equal(keyring.activeKeyId, "k2026a");
    assert.deepEqual(keyring.keyIds(), ["k2026a", "k2025"]);
    assert.deepEqual(keyring.get("k2026a"), secretA);
    assert.deepEqual(keyring.get("k2025"), secretB);
    assert.equal(keyring.get("k9"), undefined);
  });

  it("ignores whitespace around entries and accepts unpadded base64", () => {
    const unpadded = `k1:${randomBytes(32).toString("base64").replace(/=+$/, "")}`;
    const keyring = parseKeyring(`  ${unpadded} ,\n ${specB}  `, "");
    assert.deepEqual(keyring.keyIds(), ["k1", "k2025"]);
    assert.equal(keyring.get("k1")?.length, 32);
  });

  it("uses the given active key id", () => {
    assert.equal(parseKeyring(`${specA},${specB}`, "k2025").activeKeyId, "k2025");
  });

  it("returns copies, so a caller cannot change a secret", () => {
    const keyring = parseKeyring(specA, undefined);
    keyring.get("k2026a")!.fill(0);
    assert.deepEqual(keyring.get("k2026a"), secretA);
  });

  it("says how to get a key when LEDGERLINE_HMAC_KEYS is not set", () => {
    for (const value of [undefined, "", "   "]) {
      assertKeyringError(
        () => parseKeyring(value, undefined),
        /LEDGERLINE_HMAC_KEYS is not set.*npm run quickstart.*npm run keys -- generate/s,
      );
    }
  });

  it("rejects an entry without a colon without echoing it", () => {
    const secret = secretA.toString("base64");
    assertKeyringError(
      () => parseKeyring(`${specB},${secret}`, undefined),
      /LEDGERLINE_HMAC_KEYS: entry 2 is not in the form keyId:secret/,
      [secret],
    );
  });

  it("rejects an empty entry", () => {
    assertKeyringError(() => parseKeyring(`${specA},`, undefined), /LEDGERLINE_HMAC_KEYS: entry 2 is empty/);
  });

  it("rejects an invalid key id without echoing it", () => {
    const secret = secretA.toString("base64");
    assertKeyringError(() => parseKeyring(`${secret}:${secret}`, undefined), /entry 1 has an invalid key id/, [secret]);
    assertKeyringError(() => parseKeyring(`bad.id:${secret}`, undefined), /entry 1 has an invalid key id/);
    assertKeyringError(() => parseKeyring(`${"k".repeat(33)}:${secret}`, undefined), /invalid key id/);
  });

  it("rejects a duplicate key id", () => {
    assertKeyringError(
      () => parseKeyring(`${specA},${specA.replace(/^k2026a/, "k2026a")}`, undefined),
      /key id "k2026a" appears more than once/,
    );
  });

  it("rejects secrets with characters outside base64, which Buffer would skip", () => {
    const junk = `${secretA.toString("base64")}!!`;
    assertKeyringError(
      () => parseKeyring(`k1:${junk}`, undefined),
      /entry 1 \(key id "k1"\): the secret is not valid base64/,
      [junk],
    );
    const mixed = `${secretA.toString("base64url")}+/`;
    assertKeyringError(() => parseKeyring(`k1:${mixed}`, undefined), /not valid base64/, [mixed]);
    const badPadding = `${secretA.toString("base64")}=`;
    assertKeyringError(() => parseKeyring(`k1:${badPadding}`, undefined), /not valid base64/, [badPadding]);
    assertKeyringError(() => parseKeyring("k1:", undefined), /not valid base64/);
  });

  it("rejects secrets shorter than 32 bytes", () => {
    const short = randomBytes(31).toString("base64");
    assertKeyringError(
      () => parseKeyring(`k1:${short}`, undefined),
      /key id "k1"\): the secret decodes to 31 bytes, at least 32/,
      [short],
    );
  });

  it("rejects an active key id that is not in the keyring", () => {
    assertKeyringError(
      () => parseKeyring(specA, "k2024"),
      /LEDGERLINE_HMAC_ACTIVE_KEY: "k2024" is not one of the key ids in LEDGERLINE_HMAC_KEYS \(k2026a\)/,
    );
    const secret = secretB.toString("base64");
    assertKeyringError(() => parseKeyring(specA, secret), /LEDGERLINE_HMAC_ACTIVE_KEY: the given key id is not one/, [
      secret,
    ]);
  });

  it("never shows secrets in JSON or inspect output", () => {
    const keyring = parseKeyring(`${specA},${specB}`, "k2025");
    const shown = [
      JSON.stringify(keyring),
      inspect(keyring),
      inspect(keyring, { showHidden: true, depth: 5 }),
      String(keyring),
    ];
    for (const text of shown) {
      for (const secret of [secretA, secretB]) {
        for (const encoding of ["base64", "base64url", "hex"] as const) {
          assert.ok(!text.includes(secret.toString(encoding)), `leaks ${encoding} secret: ${text}`);
        }
      }
    }
    assert.deepEqual(JSON.parse(JSON.stringify(keyring)), { activeKeyId: "k2025", keyIds: ["k2026a", "k2025"] });
    assert.match(inspect(keyring), /k2026a/);
  });
});

describe("generateKeySpec", () => {
  it("makes a fresh base64url entry that parses to 32 bytes", () => {
    const spec = generateKeySpec("k2026a");
    assert.match(spec, /^k2026a:[A-Za-z0-9_-]{43}$/);
    assert.equal(parseKeyring(spec, undefined).get("k2026a")?.length, 32);
    assert.notEqual(generateKeySpec("k2026a"), spec);
  });

  it("refuses an invalid key id", () => {
    assert.throws(() => generateKeySpec("bad id"), KeyringError);
  });
});
