// Canary values for a password, an API key and a session cookie go through
// sign-in, key creation and use, errors and sign-out; none may appear in the
// app's console output, in an error response, or in the audit log.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { format } from "node:util";
import * as login from "@/app/api/auth/login/route";
import * as logout from "@/app/api/auth/logout/route";
import * as ingest from "@/app/api/logs/route";
import * as keyById from "@/app/api/keys/[id]/route";
import * as keys from "@/app/api/keys/route";
import { flushAuditEvents } from "@/lib/records/audit/access-audit";
import { createUser } from "@/lib/records/auth/users";
import { getDb } from "@/lib/platform/db/client";
import { logsCollection } from "@/lib/records/logs/collection";
import { setupAppDatabase } from "./support/app-db";
import { call, sessionFrom } from "./support/http";

setupAppDatabase("no_secret_leaks");

const PASSWORD = "canary-password-7f3a9c";
const WRONG_PASSWORD = "canary-wrong-password-5b1e";
const EMAIL = "canary@example.com";
const output: string[] = [];
const originals = {
  log: console.log,
  info: console.info,
  warn: console.warn,
  error: console.error,
  debug: console.debug,
};

before(async () => {
  for (const name of Object.keys(originals) as (keyof typeof originals)[]) {
    console[name] = (...args: unknown[]) => {
      output.push(format(...args));
    };
  }
  await createUser(await getDb(), { email: EMAIL, role: "admin" }, PASSWORD, { user: "test" });
});

after(() => Object.assign(console, originals));

describe("secrets stay out of logs and responses", () => {
  it("never shows the password, API key or session cookie", async () => {
    const responses: string[] = [];
    const record = <R extends { body: unknown }>(response: R): R => {
      responses.push(JSON.stringify(response.body));
      return response;
    };
    const body = (password: string) => JSON.stringify({ email: EMAIL, password });
    record(
      await call(login.POST, "POST", "/api/auth/login", { body: body(WRONG_PASSWORD), origin: "http://localhost" }),
    );
    const signedIn = record(
      await call(login.POST, "POST", "/api/auth/login", { body: body(PASSWORD), origin: "http://localhost" }),
    );
    const session = sessionFrom(signedIn.headers);

    const created = await call(keys.POST, "POST", "/api/keys", {
      session,
      body: JSON.stringify({ name: "canary-key" }),
    });
    const apiKey: string = created.body.key;
    const log = JSON.stringify({ ip: "10.0.0.1", user: "u", action: "a", status: "success" });
    record(await call(ingest.POST, "POST", "/api/logs", { key: apiKey, body: log }));
    record(await call(ingest.POST, "POST", "/api/logs", { key: `${apiKey}x`, body: log }));
    record(await call(ingest.POST, "POST", "/api/logs", { key: apiKey, body: "{not json" }));
    record(await call(keys.GET, "GET", "/api/keys", { session }));
    record(
      await call(keyById.DELETE, "DELETE", `/api/keys/${created.body.id}`, {
        session,
        params: { id: created.body.id },
      }),
    );
    record(await call(ingest.POST, "POST", "/api/logs", { key: apiKey, body: log }));
    await call(logout.POST, "POST", "/api/auth/logout", { session, body: "{}" });

    await flushAuditEvents();
    const audit = await logsCollection(await getDb())
      .find({ source: "ledgerline" })
      .toArray();
    assert.ok(
      audit.some((entry) => entry.action === "sign_in" && entry.status === "failed"),
      "sign-in failures are audited",
    );
    assert.ok(
      audit.some((entry) => entry.action === "api_key_revoked"),
      "key revocation is audited",
    );
    assert.ok(
      audit.some((entry) => entry.action === "request_refused"),
      "requests with a wrong or revoked key are audited",
    );

    // The secret itself may contain "_", so cut after the fixed-length prefix "llk_<16 hex>_".
    const secretPart = apiKey.slice("llk_".length + 16 + 1);
    assert.equal(secretPart.length, 43);
    const places = { console: output.join("\n"), responses: responses.join("\n"), audit: JSON.stringify(audit) };
    for (const [where, text] of Object.entries(places)) {
      for (const [what, secret] of Object.entries({ PASSWORD, WRONG_PASSWORD, secretPart, session })) {
        assert.ok(
          !text.includes(secret),
          `${what} appears in ${where}: ${where === "console" ? text.slice(Math.max(0, text.indexOf(secret) - 600), text.indexOf(secret) + 100) : ""}`,
        );
      }
    }
  });
});
