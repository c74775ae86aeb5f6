// Who may call what: every admin and session route handler, signed out,
// as a viewer, as an admin, with an API key, and from another site.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import * as keyById from "@/app/api/keys/[id]/route";
import * as keys from "@/app/api/keys/route";
import * as login from "@/app/api/auth/login/route";
import * as logout from "@/app/api/auth/logout/route";
import * as disableById from "@/app/api/users/[id]/disable/route";
import * as users from "@/app/api/users/route";
import { createUser, resetPassword } from "@/lib/records/auth/users";
import { getDb } from "@/lib/platform/db/client";
import { createTestApiKey, setupAppDatabase } from "./support/app-db";
import { call, sessionFrom } from "./support/http";

setupAppDatabase("auth_http");

const ADMIN = { email: "root@example.com", password: "admin password 123" };
const VIEWER = { email: "reader@example.com", password: "viewer password 123" };
const ANALYST = { email: "analyst@example.com", password: "analyst password 123" };
const ACTOR = { user: "test" };
let db: Db;
let adminSession: string;
let viewerSession: string;
let analystSession: string;
let viewerId: string;

async function signIn(credentials: { email: string; password: string }) {
  return call(login.POST, "POST", "/api/auth/login", { body: JSON.stringify(credentials), origin: "http://localhost" });
}

before(async () => {
  db = await getDb();
  await createUser(db, { email: ADMIN.email, role: "admin" }, ADMIN.password, ACTOR);
  viewerId = (await createUser(db, { email: VIEWER.email, role: "viewer" }, VIEWER.password, ACTOR)).id;
  adminSession = sessionFrom((await signIn(ADMIN)).headers);
  await createUser(db, { email: ANALYST.email, role: "analyst" }, ANALYST.password, ACTOR);
  viewerSession = sessionFrom((await signIn(VIEWER)).headers);
  analystSession = sessionFrom((await signIn(ANALYST)).headers);
});

const ADMIN_ROUTES = [
  { name: "GET /api/keys", run: (o: object) => call(keys.GET, "GET", "/api/keys", o) },
  {
    name: "POST /api/keys",
    run: (o: object) =>
      call(keys.POST, "POST", "/api/keys", {
        body: JSON.stringify({ name: `k${Math.random()}`.replace(".", "") }),
        ...o,
      }),
  },
  {
    name: "DELETE /api/keys/:id",
    run: (o: object) => call(keyById.DELETE, "DELETE", "/api/keys/none", { params: { id: "none" }, ...o }),
  },
  { name: "GET /api/users", run: (o: object) => call(users.GET, "GET", "/api/users", o) },
  {
    name: "POST /api/users",
    run: (o: object) =>
      call(users.POST, "POST", "/api/users", {
        body: JSON.stringify({ email: `u${Date.now()}@example.com`, role: "viewer", password: "long enough password" }),
        ...o,
      }),
  },
  {
    name: "POST /api/users/:id/disable",
    run: (o: object) =>
      call(disableById.POST, "POST", "/api/users/none/disable", { params: { id: "none" }, body: "{}", ...o }),
  },
];

describe("admin routes", () => {
  for (const route of ADMIN_ROUTES) {
    it(`${route.name}: 401 signed out, 403 for a viewer, an analyst and API keys, allowed for an admin`, async () => {
      assert.equal((await route.run({})).status, 401);
      assert.equal((await route.run({ session: "forged.cookie" })).status, 401);
      assert.equal((await route.run({ session: viewerSession })).status, 403);
      assert.equal((await route.run({ session: analystSession })).status, 403);
      assert.equal((await route.run({ key: await createTestApiKey(db, ["ingest", "read"]) })).status, 403);
      assert.ok([200, 201, 404].includes((await route.run({ session: adminSession })).status));
    });
  }
});

describe("a session cookie beside the forms shippers send keys in", () => {
  it("is the caller when no Authorization header is sent; any such header names a key, whatever its form", async () => {
    const key = await createTestApiKey(db, ["ingest", "read"]);
    assert.equal((await call(users.GET, "GET", "/api/users", { session: adminSession })).status, 200);
    const basic = `Basic ${Buffer.from(`shipper:${key}`).toString("base64")}`;
    assert.equal(
      (await call(users.GET, "GET", "/api/users", { session: adminSession, headers: { authorization: basic } })).status,
      403,
    );
    for (const garbled of ["Basic Og==", `ApiKey ${Buffer.from("id:").toString("base64")}`, "Basic"]) {
      assert.equal(
        (await call(users.GET, "GET", "/api/users", { session: adminSession, headers: { authorization: garbled } }))
          .status,
        401,
        garbled,
      );
    }
  });
});

describe("cross-site requests with a session cookie", () => {
  it("refuses another Origin, a missing Origin, and a body that is not JSON", async () => {
    const body = JSON.stringify({ name: "csrf" });
    assert.equal(
      (await call(keys.POST, "POST", "/api/keys", { session: adminSession, body, origin: "https://evil.example" }))
        .status,
      403,
    );
    assert.equal(
      (await call(keys.POST, "POST", "/api/keys", { session: adminSession, body, origin: null })).status,
      403,
    );
    const plain = await call(keys.POST, "POST", "/api/keys", {
      session: adminSession,
      body,
      contentType: "text/plain",
    });
    assert.equal(plain.status, 415);
    const listed = await call(keys.GET, "GET", "/api/keys", { session: adminSession });
    assert.ok(!listed.body.items.some((key: { name: string }) => key.name === "csrf"), "no key was created");
  });

  it("refuses a sign-in posted from another site", async () => {
    const response = await call(login.POST, "POST", "/api/auth/login", {
      body: JSON.stringify(ADMIN),
      origin: "https://evil.example",
    });
    assert.equal(response.status, 403);
  });
});

describe("sessions", () => {
  it("sets an httpOnly, SameSite=Lax cookie that is not Secure over plain HTTP", async () => {
    const cookie = (await signIn(VIEWER)).headers.get("set-cookie")!;
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.doesNotMatch(cookie, /Secure/);
  });

  it("ends at sign-out: the old cookie no longer works", async () => {
    const session = sessionFrom((await signIn(ADMIN)).headers);
    assert.equal((await call(keys.GET, "GET", "/api/keys", { session })).status, 200);
    const out = await call(logout.POST, "POST", "/api/auth/logout", { session, body: "{}" });
    assert.equal(out.status, 204);
    assert.match(out.headers.get("set-cookie")!, /Expires=Thu, 01 Jan 1970/);
    assert.equal((await call(keys.GET, "GET", "/api/keys", { session })).status, 401);
  });

  it("ends when the user's password is reset, and when the user is disabled", async () => {
    const viewer = { email: "temp@example.com", password: "temporary password 1" };
    const { id } = await createUser(db, { email: viewer.email, role: "admin" }, viewer.password, ACTOR);
    let session = sessionFrom((await signIn(viewer)).headers);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await resetPassword(db, viewer.email, "a brand new password", ACTOR);
    assert.equal((await call(keys.GET, "GET", "/api/keys", { session })).status, 401);

    session = sessionFrom((await signIn({ ...viewer, password: "a brand new password" })).headers);
    const disabled = await call(disableById.POST, "POST", `/api/users/${id}/disable`, {
      session: adminSession,
      params: { id },
      body: "{}",
    });
    assert.equal(disabled.status, 200);
    assert.equal((await call(keys.GET, "GET", "/api/keys", { session })).status, 401);
    assert.equal((await signIn({ ...viewer, password: "a brand new password" })).status, 401);
  });

  it("refuses to let an admin disable their own account", async () => {
    const admin = await call(users.GET, "GET", "/api/users", { session: adminSession });
    const self = admin.body.items.find((u: { email: string }) => u.email === ADMIN.email);
    const response = await call(disableById.POST, "POST", `/api/users/${self.id}/disable`, {
      session: adminSession,
      params: { id: self.id },
      body: "{}",
    });
    assert.equal(response.status, 400);
    assert.notEqual(viewerId, self.id);
  });
});

describe("POST /api/auth/login", () => {
  it("answers wrong passwords and unknown accounts alike, then refuses with 429 and Retry-After", async () => {
    const target = { email: "locked@example.com", password: "the right password" };
    await createUser(db, { email: target.email, role: "viewer" }, target.password, ACTOR);
    const unknown = await signIn({ email: "nobody@example.com", password: "whatever it is" });
    const wrong = await signIn({ ...target, password: "wrong password" });
    assert.equal(unknown.status, 401);
    assert.deepEqual(wrong.body, unknown.body);
    for (let attempt = 2; attempt <= 5; attempt++)
      assert.equal((await signIn({ ...target, password: "wrong" })).status, 401);

    const refused = await signIn(target); // even the right password, while locked
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error.code, "rate_limited");
    assert.ok(Number(refused.headers.get("retry-after")) > 0);
  });

  it("does not count successful sign-ins from one address against it", async () => {
    const { signIn: signInDirectly } = await import("@/lib/records/auth/sign-in");
    for (let attempt = 1; attempt <= 7; attempt++) {
      const result = await signInDirectly(db, { ...VIEWER, ip: "203.0.113.7" });
      assert.equal(result.ok, true, `sign-in ${attempt}`);
    }
  });

  it("rejects operator-injection payloads as invalid input", async () => {
    for (const body of [
      { email: { $ne: null }, password: { $gt: "" } },
      { email: ADMIN.email, password: ADMIN.password, $where: "1" },
      { email: [ADMIN.email], password: ADMIN.password },
    ]) {
      const response = await call(login.POST, "POST", "/api/auth/login", {
        body: JSON.stringify(body),
        origin: "http://localhost",
      });
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(response.body.error.code, "validation_failed");
    }
  });
});
