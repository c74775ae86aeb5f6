import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from "./passwords";
import { Password } from "./user-schemas";

const PASSWORD = "correct horse battery staple";

describe("hashPassword and verifyPassword", () => {
  it("verifies the password a hash was made from", async () => {
    assert.equal(await verifyPassword(PASSWORD, await hashPassword(PASSWORD)), true);
  });

  it("refuses a wrong password, including one differing only in case or a trailing space", async () => {
    const stored = await hashPassword(PASSWORD);
    for (const wrong of ["Correct horse battery staple", `${PASSWORD} `, "", "x".repeat(12)]) {
      assert.equal(await verifyPassword(wrong, stored), false, JSON.stringify(wrong));
    }
  });

  it("salts each hash anew, so one password hashes differently every time", async () => {
    const [first, second] = await Promise.all([hashPassword(PASSWORD), hashPassword(PASSWORD)]);
    assert.notEqual(first, second);
    assert.notEqual(first.split("$")[4], second.split("$")[4]);
  });

  it("encodes the algorithm, N=2^15, r=8, p=1, a 16-byte salt and a 64-byte key", async () => {
    const [algorithm, n, r, p, salt, key] = (await hashPassword(PASSWORD)).split("$");
    assert.deepEqual([algorithm, n, r, p], ["scrypt", "32768", "8", "1"]);
    assert.equal(Buffer.from(salt!, "base64url").length, 16);
    assert.equal(Buffer.from(key!, "base64url").length, 64);
  });

  it("verifies with the parameters a stored hash names, so they can change later", async () => {
    const stored = await hashPassword(PASSWORD);
    const [, , , , salt, key] = stored.split("$");
    assert.equal(await verifyPassword(PASSWORD, `scrypt$16384$8$1$${salt}$${key}`), false);
  });

  it("answers false, without throwing, for a malformed stored value", async () => {
    const stored = await hashPassword(PASSWORD);
    const [, , , , salt, key] = stored.split("$");
    for (const malformed of [
      "",
      "not a hash",
      `bcrypt$32768$8$1$${salt}$${key}`,
      `scrypt$32768$8$1$${salt}`,
      `scrypt$30000$8$1$${salt}$${key}`, // N not a power of two
      `scrypt$1073741824$8$1$${salt}$${key}`, // absurd memory
      `scrypt$1048576$8$1$${salt}$${key}`, // 1 GiB
      `scrypt$32768$0$1$${salt}$${key}`,
      `scrypt$32768$8$1$${salt}$${key}$extra`,
      `scrypt$32768$8$1$${salt}$!!!!${key}`,
      stored.slice(0, -10),
    ]) {
      assert.equal(await verifyPassword(PASSWORD, malformed), false, malformed);
    }
  });

  it("refuses a stored key cut short, though scrypt's shorter output is a prefix of the full one", async () => {
    const stored = await hashPassword(PASSWORD);
    const [prefix, key] = [stored.slice(0, stored.lastIndexOf("$")), stored.split("$")[5]!];
    const shortKey = Buffer.from(key, "base64url").subarray(0, 32).toString("base64url");
    assert.equal(await verifyPassword(PASSWORD, `${prefix}$${shortKey}`), false);
  });

  it("keeps the dummy hash (checked for unknown accounts) on the current parameters", async () => {
    const current = (await hashPassword(PASSWORD)).split("$").slice(0, 4);
    assert.deepEqual(DUMMY_PASSWORD_HASH.split("$").slice(0, 4), current);
    assert.equal(Buffer.from(DUMMY_PASSWORD_HASH.split("$")[5]!, "base64url").length, 64);
    assert.equal(await verifyPassword(PASSWORD, DUMMY_PASSWORD_HASH), false);
  });
});

describe("Password policy", () => {
  it("accepts 12 to 256 characters and names the rule a refused password breaks", () => {
    assert.equal(Password.safeParse("a".repeat(12)).success, true);
    assert.equal(Password.safeParse("a".repeat(256)).success, true);
    for (const [password, rule] of [
      ["a".repeat(11), /at least 12 characters/],
      ["a".repeat(257), /at most 256 characters/],
      [" \t".repeat(8), /only whitespace/],
    ] as const) {
      const result = Password.safeParse(password);
      assert.equal(result.success, false);
      assert.match(result.error!.issues[0]!.message, rule);
    }
  });
});
