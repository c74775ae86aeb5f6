// POST /api/auth/login behind one trusted proxy (TRUST_PROXY_HEADERS=true,
// TRUSTED_PROXY_HOPS=1): the client is the right-most X-Forwarded-For entry,
// whatever the client wrote to its left, and failures from one address are
// limited across accounts.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { AUDIT_SOURCE } from "@/lib/records/logs/provenance";
import { createUser } from "@/lib/records/auth/users";
import { getDb } from "@/lib/platform/db/client";
import { logsCollection } from "@/lib/records/logs/collection";
import { setupAppDatabase } from "./support/app-db";
import { postSignIn } from "./support/sign-in";

setupAppDatabase("sign_in_behind_proxy", { TRUST_PROXY_HEADERS: "true" });

const PASSWORD = "the right password";
let db: Db;

const signIn = (email: string, password: string, forwardedFor: string) =>
  postSignIn({ email, password }, { "x-forwarded-for": forwardedFor });

async function recordedIp(email: string): Promise<string | undefined> {
  return (await logsCollection(db).findOne({ source: AUDIT_SOURCE, action: "sign_in", user: email }))?.ip;
}

before(async () => {
  db = await getDb();
  for (const name of ["spoofer", "garbled", "target", "bystander"]) {
    await createUser(db, { email: `${name}@example.com`, role: "viewer" }, PASSWORD, { user: "test" });
  }
});

describe("POST /api/auth/login behind a trusted proxy", () => {
  it("records the address the proxy saw, not the left-most entry the client wrote, and an invalid one as unknown", async () => {
    assert.equal((await signIn("spoofer@example.com", "wrong password", "10.0.0.1, 203.0.113.5")).status, 401);
    assert.equal(await recordedIp("spoofer@example.com"), "203.0.113.5");
    assert.equal((await signIn("garbled@example.com", PASSWORD, "203.0.113.5, not-an-address")).status, 200);
    assert.equal(await recordedIp("garbled@example.com"), undefined);
  });

  it("refuses an address after 5 failures across accounts with 429, whatever it writes on the left, while another address signs in", async () => {
    const attacker = "198.51.100.9";
    for (let index = 0; index < 5; index++) {
      const answer = await signIn(`sprayed${index}@example.com`, "Spring2026!", `10.1.1.${index}, ${attacker}`);
      assert.equal(answer.status, 401, `attempt ${index + 1}`);
    }
    const refused = await signIn("target@example.com", PASSWORD, `192.0.2.77, ${attacker}`);
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get("retry-after")) >= 1);
    assert.equal(
      (await logsCollection(db).findOne({ source: AUDIT_SOURCE, user: "target@example.com" }))?.message,
      "refused: too many failed attempts from this IP",
    );
    assert.equal(
      (await signIn("target@example.com", PASSWORD, `${attacker}, 198.51.100.10`)).status,
      200,
      "the attacker's address on the left is not the client",
    );
    assert.equal((await signIn("bystander@example.com", PASSWORD, "198.51.100.11")).status, 200);
  });
});
