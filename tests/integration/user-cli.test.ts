// npm run user as an operator runs it: a separate process, the password from
// LEDGERLINE_PASSWORD (no terminal here), flags and exit codes.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { MongoClient, type Db } from "mongodb";
import { verifyCredentials } from "@/lib/records/auth/users";
import { getConfig } from "@/lib/foundation/config";

const database = `test_user_cli_${randomBytes(4).toString("hex")}`;
const PASSWORD = "correct horse battery staple";

let client: MongoClient;
let db: Db;

before(async () => {
  client = await new MongoClient(getConfig().mongodbUri).connect();
  db = client.db(database);
});

after(async () => {
  await db.dropDatabase();
  await client.close();
});

/** Runs the CLI with LEDGERLINE_PASSWORD set to `password`, or unset when it is null. */
function user(args: string[], password: string | null = PASSWORD) {
  const result = spawnSync("npx", ["tsx", "scripts/user.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, MONGODB_DB: database, LEDGERLINE_PASSWORD: password ?? "" },
  });
  assert.ok(!`${result.stdout}${result.stderr}`.includes(password ?? PASSWORD), "the password is never printed");
  assert.ok(!`${result.stdout}${result.stderr}`.includes("scrypt$"), "no hash is ever printed");
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run user", () => {
  it("creates an account whose password then verifies, and lists it without the hash", async () => {
    const created = user(["create", "--email", "Ops@Example.com", "--role", "admin", "--json"]);
    assert.equal(created.code, 0, created.stderr);
    const summary = JSON.parse(created.stdout);
    assert.equal(summary.email, "ops@example.com");
    assert.equal(summary.name, "ops");
    assert.equal(summary.role, "admin");
    assert.equal((await verifyCredentials(db, "ops@example.com", PASSWORD))?.id, summary.id);

    const listed = user(["list", "--json"]);
    assert.equal(listed.code, 0);
    const [first] = JSON.parse(listed.stdout);
    assert.equal(first.id, summary.id);
    assert.equal("password_hash" in first, false);
    assert.match(user(["list"]).stdout, /ops@example\.com\s+ops\s+admin\s+\S+\s+active/);
  });

  it("creates an analyst, and names the three roles in its help", () => {
    const created = user(["create", "--email", "sam@example.com", "--role", "analyst", "--json"]);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(JSON.parse(created.stdout).role, "analyst");
    assert.match(user(["--help"]).stdout, /--role admin\|analyst\|viewer/);
  });

  it("refuses a second account with the same email (exit 1)", () => {
    assert.equal(user(["create", "--email", "twice@example.com", "--role", "viewer", "--name", "Twice"]).code, 0);
    const again = user(["create", "--email", "TWICE@example.com", "--role", "admin"]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists/);
  });

  it("disables an account, which then cannot sign in; an unknown email exits 1", async () => {
    assert.equal(user(["create", "--email", "leaver@example.com", "--role", "viewer"]).code, 0);
    const disabled = user(["disable", "leaver@example.com"]);
    assert.equal(disabled.code, 0, disabled.stderr);
    assert.match(disabled.stdout, /Disabled user leaver@example\.com/);
    assert.equal(await verifyCredentials(db, "leaver@example.com", PASSWORD), null);
    assert.match(user(["list"]).stdout, /leaver@example\.com.*disabled \d{4}-/);
    assert.equal(user(["disable", "nobody@example.com"]).code, 1);
    const audit = await db
      .collection("logs")
      .findOne({ source: "ledgerline", action: "user_disabled", "metadata.email": "leaver@example.com" });
    assert.equal(audit?.user, "cli");
  });

  it("resets a password: the new one verifies and the old one no longer does", async () => {
    assert.equal(user(["create", "--email", "forgetful@example.com", "--role", "viewer"]).code, 0);
    const newPassword = "a brand new passphrase";
    const reset = user(["reset-password", "forgetful@example.com", "--json"], newPassword);
    assert.equal(reset.code, 0, reset.stderr);
    assert.equal(JSON.parse(reset.stdout).email, "forgetful@example.com");
    assert.equal(await verifyCredentials(db, "forgetful@example.com", PASSWORD), null);
    assert.notEqual(await verifyCredentials(db, "forgetful@example.com", newPassword), null);
    assert.equal(user(["reset-password", "nobody@example.com"]).code, 1);
  });

  it("exits 2 naming the rule when the password breaks the policy, and stores nothing", async () => {
    for (const [password, rule] of [
      ["too short", /at least 12 characters/],
      ["x".repeat(257), /at most 256 characters/],
      [" ".repeat(16), /only whitespace/],
    ] as const) {
      const result = user(["create", "--email", "weak@example.com", "--role", "viewer"], password);
      assert.equal(result.code, 2, password);
      assert.match(result.stderr, rule);
    }
    assert.equal(await db.collection("users").countDocuments({ email: "weak@example.com" }), 0);
  });

  it("exits 2 asking for LEDGERLINE_PASSWORD when it is unset and there is no terminal", () => {
    const result = user(["create", "--email", "nopass@example.com", "--role", "viewer"], null);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /set LEDGERLINE_PASSWORD/);
  });

  it("exits 2 with the reason on bad usage", () => {
    for (const [args, reason] of [
      [["create", "--email", "a@example.com"], /needs --email EMAIL and --role/],
      [["create", "--email", "a@example.com", "--role", "root"], /--role/],
      [["create", "--email", "not-an-email", "--role", "viewer"], /--email: must be a valid email address/],
      [["disable"], /needs the email of an account/],
      [["disable", "not-an-email"], /not a valid email address/],
      [["list", "extra"], /unexpected arguments: extra/],
      [["frobnicate"], /unknown command/],
      [["list", "--password", "x"], /Unknown option/],
    ] as const) {
      const result = user([...args]);
      assert.equal(result.code, 2, args.join(" "));
      assert.match(result.stderr, reason);
    }
  });
});
