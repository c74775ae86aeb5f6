// POST /api/auth/login with the default global limit and no trusted proxy
// (so no client IP): one client spraying a password over many accounts meets
// the limit on failures across all accounts.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { AUDIT_SOURCE } from "@/lib/records/logs/provenance";
import { createUser } from "@/lib/records/auth/users";
import { getDb } from "@/lib/platform/db/client";
import { logsCollection } from "@/lib/records/logs/collection";
import { setupAppDatabase } from "./support/app-db";
import { postSignIn } from "./support/sign-in";

setupAppDatabase("sign_in_global_limit", { TRUST_PROXY_HEADERS: "false" });

const PASSWORD = "the right password";
let db: Db;

before(async () => {
  db = await getDb();
  // One at a time: all at once would wait on the per-process hashing cap, which refuses after 5 s on a loaded machine.
  for (let index = 0; index < 26; index++)
    await createUser(db, { email: `user${index}@example.com`, role: "viewer" }, PASSWORD, { user: "test" });
});

describe("POST /api/auth/login across all accounts", () => {
  it("refuses every sign-in with 429 and Retry-After after 20 failures within a minute, whatever the account", async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 25; index++) {
      const answer = await postSignIn({ email: `user${index}@example.com`, password: "Spring2026!" });
      statuses.push(answer.status);
      if (answer.status === 429) {
        const seconds = Number(answer.headers.get("retry-after"));
        assert.ok(seconds >= 1 && seconds <= 61, `Retry-After ${seconds}`);
        assert.equal(answer.body.error.code, "rate_limited");
      }
    }
    assert.deepEqual(statuses, [...Array<number>(20).fill(401), ...Array<number>(5).fill(429)]);

    const untouched = await postSignIn({ email: "user25@example.com", password: PASSWORD });
    assert.equal(untouched.status, 429, "even the right password of an account nobody tried");
    assert.ok(Number(untouched.headers.get("retry-after")) >= 1);
    const audit = await logsCollection(db).findOne({
      source: AUDIT_SOURCE,
      action: "sign_in",
      user: "user25@example.com",
    });
    assert.equal(audit?.message, "refused: too many failed sign-ins across all accounts");
  });
});
