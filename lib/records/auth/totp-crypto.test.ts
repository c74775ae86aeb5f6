import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatRecoveryCode, hashRecoveryCode, newRecoveryCodes, openTotpSecret, sealTotpSecret } from "./totp-crypto";
import { Reauthentication, SecondFactorCode } from "./totp-schemas";

const SECRET = new Uint8Array(Array.from({ length: 20 }, (_, i) => i));

describe("sealTotpSecret and openTotpSecret", () => {
  it("opens what it sealed, with a fresh IV each time", () => {
    const sealed = sealTotpSecret("user-a", SECRET);
    assert.deepEqual(openTotpSecret("user-a", sealed), SECRET);
    assert.notEqual(sealTotpSecret("user-a", SECRET), sealed);
  });

  it("refuses a secret moved to another user or altered", () => {
    const sealed = sealTotpSecret("user-a", SECRET);
    assert.throws(() => openTotpSecret("user-b", sealed));
    const [iv, tag, data] = sealed.split(".");
    const flipped = Buffer.from(data!, "base64url");
    flipped[0]! ^= 1;
    assert.throws(() => openTotpSecret("user-a", [iv, tag, flipped.toString("base64url")].join(".")));
  });
});

describe("recovery codes", () => {
  it("are 16 characters without look-alikes, shown in groups of four, hashed per user", () => {
    const codes = newRecoveryCodes(10);
    assert.equal(new Set(codes).size, 10);
    for (const code of codes) assert.match(code, /^[2-9A-HJ-NP-Z]{16}$/);
    assert.match(formatRecoveryCode(codes[0]!), /^(\w{4}-){3}\w{4}$/);
    assert.notEqual(hashRecoveryCode("user-a", codes[0]!), hashRecoveryCode("user-b", codes[0]!));
  });
});

describe("SecondFactorCode", () => {
  it("tells an app's code from a recovery code, ignoring spaces, dashes and case", () => {
    assert.deepEqual(SecondFactorCode.parse(" 123 456 "), { kind: "totp", code: "123456" });
    assert.deepEqual(SecondFactorCode.parse("abcd-efgh-jkmn-pq23"), { kind: "recovery", code: "ABCDEFGHJKMNPQ23" });
    for (const bad of ["12345", "1234567", "ABCD-EFGH-JKMN-PQ2", "OOOO-0000-IIII-1111", "x".repeat(65)]) {
      assert.equal(SecondFactorCode.safeParse(bad).success, false, bad);
    }
  });
});

describe("Reauthentication", () => {
  it("takes a current code or the password, not both and not neither", () => {
    assert.equal(Reauthentication.safeParse({ code: "123456" }).success, true);
    assert.equal(Reauthentication.safeParse({ password: "my password" }).success, true);
    assert.equal(Reauthentication.safeParse({ code: "123456", password: "my password" }).success, false);
    assert.equal(Reauthentication.safeParse({}).success, false);
    assert.equal(Reauthentication.safeParse({ code: "123456", extra: 1 }).success, false);
  });
});
