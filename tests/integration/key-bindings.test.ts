// API keys bound to sources and to log_id prefixes: no key can speak for
// another service, nor take its predictable ids first. Created as an operator
// does (npm run apikey, POST /api/keys), used through POST /api/logs.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import * as keysRoute from "@/app/api/keys/route";
import * as logsRoute from "@/app/api/logs/route";
import { createApiKey, revokeApiKey } from "@/lib/records/auth/api-keys";
import { createSession } from "@/lib/records/auth/sessions";
import { createUser } from "@/lib/records/auth/users";
import { getDb } from "@/lib/platform/db/client";
import { logsCollection } from "@/lib/records/logs/collection";
import { setupAppDatabase } from "./support/app-db";
import { runScript } from "./support/cli";
import { call } from "./support/http";
import { makeLogInput } from "./support/log-inputs";

setupAppDatabase("key_bindings");

let db: Db;
let adminSession: string;
let billingKey: string;
let webKey: string;
let multiKey: string;

const post = (key: string, body: unknown) =>
  call(logsRoute.POST, "POST", "/api/logs", { key, body: JSON.stringify(body) });
const count = (query: Record<string, unknown>) => logsCollection(db).countDocuments(query);

function createWithCli(...args: string[]): { id: string; key: string; sources: string[]; id_prefixes: string[] } {
  const result = runScript("apikey", "create", ...args, "--json");
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout);
}

async function createWithApi(body: Record<string, unknown>) {
  return call(keysRoute.POST, "POST", "/api/keys", { session: adminSession, body: JSON.stringify(body) });
}

before(async () => {
  db = await getDb();
  const admin = await createUser(db, { email: "admin@bindings.example", role: "admin" }, "correct horse battery", {
    user: "test",
  });
  adminSession = (await createSession(db, admin.id)).cookieValue;
  const billing = createWithCli("--name", "billing", "--source", "billing-api", "--id-prefix", "billing-");
  assert.deepEqual([billing.sources, billing.id_prefixes], [["billing-api"], ["billing-"]]);
  billingKey = billing.key;
  const web = await createWithApi({ name: "web", scopes: ["ingest"] });
  assert.equal(web.status, 201, web.text);
  webKey = web.body.key;
  const multi = await createWithApi({ name: "workers", sources: ["queue-a", "queue-b"] });
  assert.equal(multi.status, 201, multi.text);
  multiKey = multi.body.key;
});

describe("a key bound to sources", () => {
  it("gets 403 naming each log with another source, and nothing is stored", async () => {
    const response = await post(billingKey, [
      makeLogInput({ source: "billing-api" }),
      makeLogInput({ source: "web" }),
      makeLogInput({ source: "ledgerline-x" }),
    ]);
    assert.equal(response.status, 403);
    assert.deepEqual(
      response.body.error.details.map((problem: { index: number; field: string }) => [problem.index, problem.field]),
      [
        [1, "source"],
        [2, "source"],
      ],
    );
    assert.match(response.body.error.details[0].message, /'web' is not a source this API key may send/);
    assert.equal(await count({ source: "billing-api" }), 0);
  });

  it("fills in its one source for a log that names none", async () => {
    const input = makeLogInput({ log_id: "billing-fill-1" });
    delete input.source;
    assert.equal((await post(billingKey, [input])).status, 201);
    assert.equal((await logsCollection(db).findOne({ _id: "billing-fill-1" }))?.source, "billing-api");
  });

  it("bound to several, needs the source named: 400 naming the field", async () => {
    const response = await post(multiKey, [makeLogInput({ source: "queue-b" }), makeLogInput()]);
    assert.equal(response.status, 400);
    assert.deepEqual(
      response.body.error.details.map((problem: { index: number; field: string }) => [problem.index, problem.field]),
      [[1, "source"]],
    );
    assert.equal(await count({ source: "queue-b" }), 0);
    assert.equal(
      (await post(multiKey, [makeLogInput({ source: "queue-b" }), makeLogInput({ source: "queue-a" })])).status,
      201,
    );
  });

  it("cannot be bound to Ledgerline's own source", async () => {
    const response = await createWithApi({ name: "sneaky", sources: ["Ledgerline"] });
    assert.equal(response.status, 400);
    assert.match(JSON.stringify(response.body.error.details), /sources/);
  });
});

describe("a reserved log_id prefix", () => {
  it("refuses another key's logs under it with 400 naming the id, and stores nothing of the batch", async () => {
    const response = await post(webKey, [makeLogInput({ log_id: "web-1" }), makeLogInput({ log_id: "billing-1001" })]);
    assert.equal(response.status, 400);
    assert.deepEqual(response.body.error.details, [
      {
        index: 1,
        field: "log_id",
        message: "'billing-1001' starts with 'billing-', which is reserved for another API key",
      },
    ]);
    assert.equal(await count({ _id: { $in: ["web-1", "billing-1001"] } }), 0);
  });

  it("lets its own key store under it, and a retry stays idempotent", async () => {
    const batch = [
      makeLogInput({ log_id: "billing-1001", source: "billing-api" }),
      makeLogInput({ log_id: "billing-1002", source: "billing-api" }),
    ];
    const first = await post(billingKey, batch);
    assert.equal(first.status, 201);
    const retry = await post(billingKey, batch);
    assert.equal(retry.status, 200);
    assert.deepEqual([retry.body.accepted, retry.body.duplicates], [0, 2]);
  });

  it("cannot be taken by a second key, overlapping either way: 409 naming id_prefixes, or exit 1 from the CLI", async () => {
    for (const prefix of ["billing-", "billing-eu-"]) {
      const response = await createWithApi({ name: `other-${prefix}`, id_prefixes: [prefix] });
      assert.equal(response.status, 409, prefix);
      assert.equal(response.body.error.details[0].field, "id_prefixes");
    }
    const cli = runScript("apikey", "create", "--name", "bill", "--id-prefix", "bill");
    assert.equal(cli.code, 2, "a prefix must end with a separator");
    assert.match(cli.stderr, /id-prefix/);
    const overlapping = runScript("apikey", "create", "--name", "bill", "--id-prefix", "bill-");
    assert.equal(overlapping.code, 0, "bill- and billing- do not overlap");
    const taken = runScript("apikey", "create", "--name", "bill2", "--id-prefix", "b");
    assert.equal(taken.code, 2);
  });

  it("is free again once its key is revoked", async () => {
    // Made in this process: a key made by another one is enforced here within the prefix cache's 5 s.
    const { summary: temporary } = await createApiKey(
      db,
      { name: "temporary", scopes: ["ingest"], id_prefixes: ["tmp-"] },
      { user: "test" },
    );
    assert.equal((await post(webKey, [makeLogInput({ log_id: "tmp-1" })])).status, 400);
    await revokeApiKey(db, temporary.id, { user: "test" });
    assert.equal((await post(webKey, [makeLogInput({ log_id: "tmp-1" })])).status, 201);
  });
});

describe("a 409 for a log_id stored with other content", () => {
  it("names the id and says that another key stored it, without naming that key", async () => {
    assert.equal((await post(webKey, [makeLogInput({ log_id: "svc-1001", user: "squatter" })])).status, 201);
    const response = await post(billingKey, [makeLogInput({ log_id: "svc-1001", source: "billing-api" })]);
    assert.equal(response.status, 409);
    assert.match(response.body.error.message, /'svc-1001'/);
    assert.deepEqual(response.body.error.details, [
      {
        index: 0,
        field: "log_id",
        message: "'svc-1001' is already stored with different content, by another API key",
        stored_by: "another_api_key",
      },
    ]);
    assert.ok(!response.text.includes(webKey.split("_")[1]!), "the other key's id is not disclosed");
  });
});
