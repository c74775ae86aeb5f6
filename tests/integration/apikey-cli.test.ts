// npm run apikey as an operator runs it: a separate process, flags, exit codes.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { after, describe, it } from "node:test";
import { MongoClient } from "mongodb";
import { getConfig } from "@/lib/foundation/config";

const database = `test_apikey_cli_${randomBytes(4).toString("hex")}`;

function apikey(...args: string[]) {
  const result = spawnSync("npx", ["tsx", "scripts/apikey.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, MONGODB_DB: database },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

after(async () => {
  const client = await new MongoClient(getConfig().mongodbUri).connect();
  await client.db(database).dropDatabase();
  await client.close();
});

describe("npm run apikey", () => {
  it("creates a key shown once as JSON, lists it without the secret, and revokes it by name", () => {
    const created = apikey("create", "--name", "billing", "--scope", "read, ingest", "--json");
    assert.equal(created.code, 0, created.stderr);
    const { id, name, scopes, key } = JSON.parse(created.stdout);
    assert.equal(name, "billing");
    assert.deepEqual(scopes, ["ingest", "read"]);
    assert.match(key, new RegExp(`^llk_${id}_[A-Za-z0-9_-]{43}$`));

    const listed = apikey("list", "--json");
    assert.equal(listed.code, 0);
    assert.ok(!listed.stdout.includes(key.slice(`llk_${id}_`.length)), "the secret is never listed");
    const [summary] = JSON.parse(listed.stdout);
    assert.equal(summary.id, id);
    assert.equal(summary.revoked_at, null);
    assert.equal("key_hash" in summary, false);

    const revoked = apikey("revoke", "billing");
    assert.equal(revoked.code, 0);
    assert.match(revoked.stdout, /Revoked API key "billing"/);
    assert.notEqual(JSON.parse(apikey("list", "--json").stdout)[0].revoked_at, null);
  });

  it("defaults to the ingest scope and refuses a second key with the same name (exit 1)", () => {
    const first = apikey("create", "--name", "shipper", "--json");
    assert.deepEqual(JSON.parse(first.stdout).scopes, ["ingest"]);
    const again = apikey("create", "--name", "shipper");
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists/);
  });

  it("exits 2 with the reason on bad usage", () => {
    for (const [args, reason] of [
      [["create"], /needs --name/],
      [["create", "--name", "x", "--scope", "admin"], /--scope/],
      [["frobnicate"], /unknown command/],
      [["revoke"], /needs the id or name/],
      [["list", "--colour"], /Unknown option/],
    ] as const) {
      const result = apikey(...args);
      assert.equal(result.code, 2, args.join(" "));
      assert.match(result.stderr, reason);
    }
    assert.equal(apikey("revoke", "nobody").code, 1);
  });
});
