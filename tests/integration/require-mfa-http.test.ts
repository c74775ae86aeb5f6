// REQUIRE_MFA_FOR_ADMINS=true: an administrator without a second factor may
// sign in, but that session can do nothing but enrol until they have.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import * as login from "@/app/api/auth/login/route";
import * as logout from "@/app/api/auth/logout/route";
import * as totp from "@/app/api/auth/totp/route";
import * as confirm from "@/app/api/auth/totp/confirm/route";
import * as disable from "@/app/api/auth/totp/disable/route";
import * as keys from "@/app/api/keys/route";
import * as logs from "@/app/api/logs/route";
import { createUser } from "@/lib/records/auth/users";
import { getDb } from "@/lib/platform/db/client";
import { setupAppDatabase } from "./support/app-db";
import { call, sessionFrom } from "./support/http";
import { awayFromStepEnd, totpCode } from "./support/totp";

setupAppDatabase("require_mfa", { REQUIRE_MFA_FOR_ADMINS: "true" });

const ADMIN = { email: "boss@example.com", password: "admin password 123" };
const VIEWER = { email: "reader@example.com", password: "viewer password 123" };
let db: Db;

async function signIn(body: Record<string, unknown>) {
  return call(login.POST, "POST", "/api/auth/login", { body: JSON.stringify(body), origin: "http://localhost" });
}

before(async () => {
  db = await getDb();
  await createUser(db, { email: ADMIN.email, role: "admin" }, ADMIN.password, { user: "test" });
  await createUser(db, { email: VIEWER.email, role: "viewer" }, VIEWER.password, { user: "test" });
});

describe("REQUIRE_MFA_FOR_ADMINS=true", () => {
  it("lets an administrator without a second factor only enrol: other APIs answer 403 mfa_enrolment_required until then", async () => {
    const signedIn = await signIn(ADMIN);
    assert.equal(signedIn.status, 200);
    assert.equal(signedIn.body.totp_enrolment_required, true);
    const session = sessionFrom(signedIn.headers);

    for (const refused of [
      await call(keys.GET, "GET", "/api/keys", { session }),
      await call(keys.POST, "POST", "/api/keys", { session, body: JSON.stringify({ name: "early" }) }),
      await call(logs.GET, "GET", "/api/logs", { session }),
    ]) {
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, "mfa_enrolment_required");
      assert.match(refused.body.error.message, /REQUIRE_MFA_FOR_ADMINS/);
    }
    const status = await call(totp.GET, "GET", "/api/auth/totp", { session });
    assert.equal(status.status, 200);
    assert.equal(status.body.required, true);

    const started = await call(totp.POST, "POST", "/api/auth/totp", { session, body: "{}" });
    assert.equal(started.status, 201);
    await awayFromStepEnd();
    const confirmed = await call(confirm.POST, "POST", "/api/auth/totp/confirm", {
      session,
      body: JSON.stringify({ code: totpCode(started.body.secret) }),
    });
    assert.equal(confirmed.status, 200, confirmed.text);
    assert.equal(
      (await call(keys.GET, "GET", "/api/keys", { session })).status,
      200,
      "the same session is let through once enrolled",
    );

    const turnOff = await call(disable.POST, "POST", "/api/auth/totp/disable", {
      session,
      body: JSON.stringify({ password: ADMIN.password }),
    });
    assert.equal(turnOff.status, 403, "an administrator cannot turn it off while it is required");
    const withCode = await signIn({ ...ADMIN, code: totpCode(started.body.secret, 1) });
    assert.equal(withCode.status, 200);
    assert.equal(withCode.body.totp_enrolment_required, false);
  });

  it("still lets the held-back session sign out", async () => {
    const other = { email: "boss2@example.com", password: "admin password 456" };
    await createUser(db, { email: other.email, role: "admin" }, other.password, { user: "test" });
    const session = sessionFrom((await signIn(other)).headers);
    assert.equal((await call(logout.POST, "POST", "/api/auth/logout", { session, body: "{}" })).status, 204);
  });

  it("does not hold back viewers", async () => {
    const signedIn = await signIn(VIEWER);
    assert.equal(signedIn.body.totp_enrolment_required, false);
    const session = sessionFrom(signedIn.headers);
    assert.equal((await call(logs.GET, "GET", "/api/logs", { session })).status, 200);
  });
});
