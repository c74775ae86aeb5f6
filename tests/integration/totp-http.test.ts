// Two-factor sign-in through HTTP: enrolment, sign-in with a code, wrong and
// replayed codes, recovery codes, turning it off, and the admin's CLI reset.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import * as login from "@/app/api/auth/login/route";
import * as totp from "@/app/api/auth/totp/route";
import * as confirm from "@/app/api/auth/totp/confirm/route";
import * as disable from "@/app/api/auth/totp/disable/route";
import * as recoveryCodes from "@/app/api/auth/totp/recovery-codes/route";
import { createUser } from "@/lib/records/auth/users";
import { COLLECTIONS } from "@/lib/platform/db/collections";
import { getDb } from "@/lib/platform/db/client";
import { logsCollection } from "@/lib/records/logs/collection";
import { createTestApiKey, setupAppDatabase } from "./support/app-db";
import { runScript } from "./support/cli";
import { call, sessionFrom } from "./support/http";
import { awayFromStepEnd, totpCode } from "./support/totp";

setupAppDatabase("totp_http");

const PASSWORD = "a long enough password";
let db: Db;
let serial = 0;

before(async () => {
  db = await getDb();
});

type Account = { email: string; password: string; session: string };

async function signIn(body: Record<string, unknown>) {
  return call(login.POST, "POST", "/api/auth/login", { body: JSON.stringify(body), origin: "http://localhost" });
}

async function newAccount(role: "admin" | "viewer" = "viewer"): Promise<Account> {
  const email = `totp${++serial}@example.com`;
  await createUser(db, { email, role }, PASSWORD, { user: "test" });
  const response = await signIn({ email, password: PASSWORD });
  assert.equal(response.status, 200);
  return { email, password: PASSWORD, session: sessionFrom(response.headers) };
}

/** Enrols the account, confirming with the previous step's code so that the current and next ones stay free. */
async function enrol(account: Account): Promise<{ secret: string; recoveryCodes: string[] }> {
  const started = await call(totp.POST, "POST", "/api/auth/totp", { session: account.session, body: "{}" });
  assert.equal(started.status, 201, started.text);
  await awayFromStepEnd();
  const confirmed = await post(confirm.POST, "/api/auth/totp/confirm", account, {
    code: totpCode(started.body.secret, -1),
  });
  assert.equal(confirmed.status, 200, confirmed.text);
  return { secret: started.body.secret, recoveryCodes: confirmed.body.recovery_codes };
}

function post(handler: typeof confirm.POST, url: string, account: Account, body: Record<string, unknown>) {
  return call(handler, "POST", url, { session: account.session, body: JSON.stringify(body) });
}

async function status(account: Account) {
  return (await call(totp.GET, "GET", "/api/auth/totp", { session: account.session })).body;
}

function auditEvents(email: string, action: string) {
  return logsCollection(db).find({ source: "ledgerline", user: email, action }).toArray();
}

describe("who may call the two-factor routes", () => {
  it("refuses signed-out callers and API keys with 401 and 403, and a session's request from another site with 403", async () => {
    const account = await newAccount();
    const key = await createTestApiKey(db, ["ingest", "read"]);
    const routes = [
      (o: object) => call(totp.GET, "GET", "/api/auth/totp", o),
      (o: object) => call(totp.POST, "POST", "/api/auth/totp", { body: "{}", ...o }),
      (o: object) =>
        call(confirm.POST, "POST", "/api/auth/totp/confirm", { body: JSON.stringify({ code: "123456" }), ...o }),
      (o: object) =>
        call(disable.POST, "POST", "/api/auth/totp/disable", { body: JSON.stringify({ password: PASSWORD }), ...o }),
      (o: object) =>
        call(recoveryCodes.POST, "POST", "/api/auth/totp/recovery-codes", {
          body: JSON.stringify({ password: PASSWORD }),
          ...o,
        }),
    ];
    for (const route of routes) {
      assert.equal((await route({})).status, 401);
      assert.equal((await route({ key })).status, 403);
    }
    for (const route of routes.slice(1))
      assert.equal((await route({ session: account.session, origin: "https://evil.example" })).status, 403);
  });
});

describe("enrolment", () => {
  it("shows the secret as text and a QR code, refuses a wrong code naming the field, and turns on with a current one", async () => {
    const account = await newAccount();
    assert.deepEqual(await status(account), {
      enabled: false,
      enabled_at: null,
      recovery_codes_left: 0,
      required: false,
    });

    const started = await call(totp.POST, "POST", "/api/auth/totp", { session: account.session, body: "{}" });
    assert.equal(started.status, 201);
    assert.match(started.body.secret, /^[A-Z2-7]{32}$/);
    assert.match(
      started.body.otpauth_uri,
      /^otpauth:\/\/totp\/Ledgerline:totp\d+%40example\.com\?.*secret=[A-Z2-7]{32}/,
    );
    const svg = Buffer.from(started.body.qr_code.replace(/^data:image\/svg\+xml;base64,/, ""), "base64").toString();
    assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);

    const wrong = await post(confirm.POST, "/api/auth/totp/confirm", account, {
      code: "000000" === totpCode(started.body.secret) ? "111111" : "000000",
    });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error.details[0].field, "code");
    assert.equal((await status(account)).enabled, false, "not on before a right code");
    assert.equal((await signIn({ email: account.email, password: PASSWORD })).status, 200, "sign-in needs no code yet");

    await awayFromStepEnd();
    const confirmed = await post(confirm.POST, "/api/auth/totp/confirm", account, {
      code: totpCode(started.body.secret),
    });
    assert.equal(confirmed.status, 200);
    assert.equal(confirmed.body.recovery_codes.length, 10);
    for (const code of confirmed.body.recovery_codes) assert.match(code, /^[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}$/);
    const after = await status(account);
    assert.equal(after.enabled, true);
    assert.equal(after.recovery_codes_left, 10);

    const again = await call(totp.POST, "POST", "/api/auth/totp", { session: account.session, body: "{}" });
    assert.equal(again.status, 409, "a second enrolment while one is on");
    assert.equal((await auditEvents(account.email, "totp_enabled")).length, 1);
    assert.equal(
      (await auditEvents(account.email, "totp_verify")).filter((event) => event.status === "failed").length,
      1,
    );
  });

  it("stores the secret encrypted and the recovery codes only as hashes", async () => {
    const account = await newAccount();
    const { secret, recoveryCodes } = await enrol(account);
    const stored = JSON.stringify(await db.collection(COLLECTIONS.totpFactors).find({}).toArray());
    assert.ok(!stored.includes(secret), "no secret in the clear");
    for (const code of recoveryCodes)
      assert.ok(!stored.includes(code.replaceAll("-", "")) && !stored.includes(code), "no recovery code in the clear");
  });

  it("names the field of a malformed code or proof", async () => {
    const account = await newAccount();
    const bad = await post(confirm.POST, "/api/auth/totp/confirm", account, { code: "12ab56" });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.error.details, [
      { field: "code", message: "must be the 6-digit code from your authenticator app" },
    ]);
    const both = await post(disable.POST, "/api/auth/totp/disable", account, { code: "123456", password: PASSWORD });
    assert.equal(both.status, 400);
    assert.equal(both.body.error.details[0].field, "code");
    const signInBad = await signIn({ email: account.email, password: PASSWORD, code: "not a code" });
    assert.equal(signInBad.status, 400);
    assert.equal(signInBad.body.error.details[0].field, "code");
  });
});

describe("POST /api/auth/login with two-factor sign-in", () => {
  it("asks for a code after the right password without counting it as a failure, then signs in with a current code", async () => {
    const account = await newAccount();
    const { secret } = await enrol(account);
    for (let attempt = 1; attempt <= 6; attempt++) {
      const asked = await signIn({ email: account.email, password: PASSWORD });
      assert.equal(asked.status, 401, `attempt ${attempt}`);
      assert.equal(asked.body.error.code, "second_factor_required");
      assert.equal(asked.headers.get("set-cookie"), null);
    }
    const wrongPassword = await signIn({ email: account.email, password: "not the password", code: totpCode(secret) });
    assert.equal(wrongPassword.body.error.code, "unauthorized", "a code does not make up for a wrong password");

    await awayFromStepEnd();
    const signedIn = await signIn({ email: account.email, password: PASSWORD, code: totpCode(secret) });
    assert.equal(signedIn.status, 200, signedIn.text);
    assert.equal(signedIn.body.totp_enrolment_required, false);
    sessionFrom(signedIn.headers);
  });

  it("refuses a code used before, also when two sign-ins race with it", async () => {
    const account = await newAccount();
    const { secret } = await enrol(account);
    await awayFromStepEnd();
    const code = totpCode(secret);
    const raced = await Promise.all([1, 2].map(() => signIn({ email: account.email, password: PASSWORD, code })));
    assert.deepEqual(raced.map((response) => response.status).sort(), [200, 401]);
    const replayed = await signIn({ email: account.email, password: PASSWORD, code });
    assert.equal(replayed.status, 401);
    assert.match(replayed.body.error.message, /used already/);

    const earlier = await signIn({ email: account.email, password: PASSWORD, code: totpCode(secret, -1) });
    assert.equal(earlier.status, 401, "nor a code of an earlier step");
    const next = await signIn({ email: account.email, password: PASSWORD, code: totpCode(secret, 1) });
    assert.equal(next.status, 200, "the next step's code is still accepted");
  });

  it("counts a wrong code as a failed sign-in: after LOGIN_MAX_FAILURES even the right code is refused with 429", async () => {
    const account = await newAccount();
    const { secret } = await enrol(account);
    const wrongCode = (offset: number) =>
      String((Number(totpCode(secret, offset)) + 500_000) % 1_000_000).padStart(6, "0");
    for (let attempt = 1; attempt <= 5; attempt++) {
      const refused = await signIn({ email: account.email, password: PASSWORD, code: wrongCode(0) });
      assert.equal(refused.status, 401, `attempt ${attempt}`);
    }
    const locked = await signIn({ email: account.email, password: PASSWORD, code: totpCode(secret) });
    assert.equal(locked.status, 429);
    assert.ok(Number(locked.headers.get("retry-after")) > 0);
    const failures = (await auditEvents(account.email, "sign_in")).filter((event) => event.status === "failed");
    assert.equal(
      failures.filter((event) => /wrong or already used authentication code/.test(event.message ?? "")).length,
      5,
    );
  });

  it("takes each recovery code once, in any case and with or without dashes", async () => {
    const account = await newAccount();
    const { recoveryCodes: codes } = await enrol(account);
    const first = codes[0]!;
    const used = await signIn({
      email: account.email,
      password: PASSWORD,
      code: first.replaceAll("-", " ").toLowerCase(),
    });
    assert.equal(used.status, 200, used.text);
    const again = await signIn({ email: account.email, password: PASSWORD, code: first });
    assert.equal(again.status, 401);
    const raced = await Promise.all(
      [1, 2].map(() => signIn({ email: account.email, password: PASSWORD, code: codes[1] })),
    );
    assert.deepEqual(raced.map((response) => response.status).sort(), [200, 401]);
    assert.equal((await status(account)).recovery_codes_left, 8);
    const audit = await auditEvents(account.email, "totp_recovery_code_used");
    assert.deepEqual(audit.map((event) => event.metadata?.recovery_codes_left).sort(), [8, 9]);
  });
});

describe("turning off and new recovery codes", () => {
  it("turns off only with a current code or the password; then the password alone signs in", async () => {
    const account = await newAccount();
    const { secret } = await enrol(account);
    const wrongPassword = await post(disable.POST, "/api/auth/totp/disable", account, { password: "not the password" });
    assert.equal(wrongPassword.status, 400);
    assert.deepEqual(wrongPassword.body.error.details, [{ field: "password", message: "is incorrect" }]);
    assert.equal((await status(account)).enabled, true);

    await awayFromStepEnd();
    const turnedOff = await post(disable.POST, "/api/auth/totp/disable", account, { code: totpCode(secret) });
    assert.equal(turnedOff.status, 200, turnedOff.text);
    assert.equal((await status(account)).enabled, false);
    assert.equal((await signIn({ email: account.email, password: PASSWORD })).status, 200);
    assert.equal((await auditEvents(account.email, "totp_disabled")).length, 1);
    const again = await post(disable.POST, "/api/auth/totp/disable", account, { password: PASSWORD });
    assert.equal(again.status, 409, "nothing to turn off");
  });

  it("counts a wrong password or code there as a failed sign-in, so a stolen session cannot guess freely", async () => {
    const account = await newAccount();
    await enrol(account);
    for (let attempt = 1; attempt <= 5; attempt++) {
      const wrong = await post(recoveryCodes.POST, "/api/auth/totp/recovery-codes", account, {
        password: `wrong guess ${attempt}`,
      });
      assert.equal(wrong.status, 400, `attempt ${attempt}`);
    }
    const locked = await post(disable.POST, "/api/auth/totp/disable", account, { password: PASSWORD });
    assert.equal(locked.status, 429);
    assert.equal((await status(account)).enabled, true);
    assert.equal((await signIn({ email: account.email, password: PASSWORD })).status, 429, "sign-in shares the limit");
  });

  it("makes new recovery codes with the password; the old ones stop working", async () => {
    const account = await newAccount();
    const { recoveryCodes: old } = await enrol(account);
    const renewed = await post(recoveryCodes.POST, "/api/auth/totp/recovery-codes", account, { password: PASSWORD });
    assert.equal(renewed.status, 200, renewed.text);
    assert.equal(renewed.body.recovery_codes.length, 10);
    assert.equal((await signIn({ email: account.email, password: PASSWORD, code: old[0] })).status, 401);
    assert.equal(
      (await signIn({ email: account.email, password: PASSWORD, code: renewed.body.recovery_codes[0] })).status,
      200,
    );
    assert.equal((await auditEvents(account.email, "totp_recovery_codes_regenerated")).length, 1);
  });
});

describe("npm run user -- reset-totp", () => {
  it("removes a user's second factor so the password alone signs in, and is audited; an unknown email exits 1", async () => {
    const account = await newAccount();
    await enrol(account);
    const reset = runScript("user", "reset-totp", account.email);
    assert.equal(reset.code, 0, reset.stderr);
    assert.match(reset.stdout, /Reset two-factor sign-in of totp\d+@example\.com/);
    assert.equal((await signIn({ email: account.email, password: PASSWORD })).status, 200);
    const [event] = await auditEvents("cli", "totp_reset");
    assert.equal(event?.metadata?.email, account.email);
    assert.equal(runScript("user", "reset-totp", "nobody@example.com").code, 1);
  });
});
