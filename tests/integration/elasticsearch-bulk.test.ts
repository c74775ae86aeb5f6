// POST /_bulk and POST /<index>/_bulk through their route handlers, against
// the real embedded server: per-item statuses as Elasticsearch gives them,
// re-sends that store nothing twice, every way shippers send a key, gzip bodies
// and bound keys.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { before, describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import type { Db } from "mongodb";
import { POST as bulk } from "@/app/%5Fbulk/route";
import { POST as indexBulk } from "@/app/[index]/%5Fbulk/route";
import { createApiKey } from "@/lib/records/auth/api-keys";
import { getDb } from "@/lib/platform/db/client";
import { logsCollection } from "@/lib/records/logs/collection";
import { skippedLinesCollection } from "@/lib/records/logs/skipped-lines";
import { createTestApiKey, setupAppDatabase } from "./support/app-db";

setupAppDatabase("elasticsearch_bulk", { INGEST_MAX_BODY_BYTES: "65536", INGEST_MAX_ITEMS: "100" });

let db: Db;
let key: string;

type Answer = {
  status: number;
  headers: Headers;
  body: {
    took: number;
    errors: boolean;
    items: Record<
      string,
      { _id: string | null; _index?: string; status: number; result?: string; error?: { type: string; reason: string } }
    >[];
  } & Record<string, unknown>;
};

const ndjson = (...lines: unknown[]) => lines.map((line) => JSON.stringify(line)).join("\n") + "\n";

async function postBulk(
  body: string | Uint8Array,
  options: { authorization?: string | null; headers?: Record<string, string>; index?: string; query?: string } = {},
): Promise<Answer> {
  const headers = new Headers({ "content-type": "application/x-ndjson", ...options.headers });
  const authorization = options.authorization === undefined ? `Bearer ${key}` : options.authorization;
  if (authorization) headers.set("authorization", authorization);
  const path = `${options.index ? `/${options.index}` : ""}/_bulk${options.query ?? ""}`;
  const request = new Request(`http://localhost${path}`, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : new Uint8Array(body),
  });
  const handler = options.index ? indexBulk : bulk;
  // As Next calls them: a route without dynamic segments gets no params at all.
  const params = (options.index ? Promise.resolve({ index: options.index }) : undefined) as Promise<
    Record<string, string>
  >;
  const response = await handler(request, { params });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

const items = (answer: Answer) => answer.body.items.map((item) => Object.values(item)[0]!);

let counter = 0;
function ecsEvent(overrides: Record<string, unknown> = {}) {
  counter++;
  return {
    "@timestamp": new Date(Date.UTC(2026, 11, 7, 10, 0, counter)).toISOString(),
    source: { ip: "203.0.113.9" },
    user: { name: `user${counter}` },
    event: { action: "ssh_login", outcome: "failure" },
    service: { name: "sshd" },
    ...overrides,
  };
}

before(async () => {
  db = await getDb();
  key = await createTestApiKey(db, ["ingest"]);
});

describe("POST /_bulk", () => {
  it("answers each item of a mixed batch on its own and stores only what maps", async () => {
    const stored = ecsEvent();
    const answer = await postBulk(
      ndjson(
        { index: { _index: "auth", _id: "bulk-mixed-1" } },
        stored,
        { create: {} },
        ecsEvent({ event: { action: "ssh_login", outcome: "unknown" } }),
        { index: {} },
        { message: "kernel: eth0 link up", host: { name: "mixed-host" } },
        { delete: { _id: "bulk-mixed-1" } },
        { update: { _id: "bulk-mixed-1" } },
        { doc: { user: { name: "mallory" } } },
        { index: {} },
        ecsEvent({ source: { ip: "not-an-ip" } }),
      ),
    );
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get("x-elastic-product"), "Elasticsearch");
    assert.equal(answer.body.errors, true);
    assert.equal(typeof answer.body.took, "number");
    assert.deepEqual(
      answer.body.items.map((item) => Object.keys(item)[0]),
      ["index", "create", "index", "delete", "update", "index"],
    );
    const [created, unknown, noop, deleted, updated, badIp] = items(answer);
    assert.deepEqual(created, { _index: "auth", _id: "bulk-mixed-1", status: 201, result: "created" });
    assert.equal(unknown!.status, 400);
    assert.equal(unknown!.error!.type, "mapper_parsing_exception");
    assert.match(unknown!.error!.reason, /event\.outcome must be 'success' or 'failure'/);
    assert.deepEqual(noop, { _id: null, status: 200, result: "noop" });
    for (const refused of [deleted, updated])
      assert.deepEqual([refused!.status, refused!.error!.type], [400, "illegal_argument_exception"]);
    assert.match(badIp!.error!.reason, /^source\.ip must be an IPv4 or IPv6 address/);

    const log = await logsCollection(db).findOne({ _id: "bulk-mixed-1" });
    assert.deepEqual(
      [log?.user, log?.status, log?.source, log?.ip, log?.ingested_by?.startsWith("key:")],
      [stored.user.name, "failed", "sshd", "203.0.113.9", true],
    );
    assert.equal(await logsCollection(db).countDocuments({ user: "mallory" }), 0);
  });

  it("answers a batch sent again with 200 for every item, no errors, and stores nothing twice", async () => {
    const body = ndjson(
      { index: {} },
      ecsEvent({ user: { name: "resend" } }),
      { index: {} },
      ecsEvent({ user: { name: "resend" } }),
      { create: { _id: "resend-explicit" } },
      ecsEvent({ user: { name: "resend" } }),
    );
    const first = await postBulk(body);
    assert.deepEqual(
      items(first).map((item) => item.status),
      [201, 201, 201],
    );
    const again = await postBulk(body);
    assert.equal(again.body.errors, false);
    assert.deepEqual(
      items(again).map((item) => [item.status, item.result]),
      [
        [200, "noop"],
        [200, "noop"],
        [200, "noop"],
      ],
    );
    assert.deepEqual(
      items(again).map((item) => item._id),
      items(first).map((item) => item._id),
    );
    assert.match(items(first)[0]!._id!, /^es-[0-9a-f]{32}$/);
    assert.equal(await logsCollection(db).countDocuments({ user: "resend" }), 3);
  });

  it("answers 409 for an _id stored with other content or used twice in the batch with other content, and stores the rest", async () => {
    await postBulk(ndjson({ index: { _id: "conflict-1" } }, ecsEvent({ user: { name: "first" } })));
    const answer = await postBulk(
      ndjson(
        { index: { _id: "conflict-1" } },
        ecsEvent({ user: { name: "second" } }),
        { index: { _id: "conflict-2" } },
        ecsEvent({ user: { name: "third" } }),
        { index: { _id: "conflict-2" } },
        ecsEvent({ user: { name: "fourth" } }),
      ),
    );
    const [stored, kept, repeated] = items(answer);
    assert.deepEqual([stored!.status, stored!.error!.type], [409, "version_conflict_engine_exception"]);
    assert.match(stored!.error!.reason, /'conflict-1' is already stored with different content, by this same sender/);
    assert.equal(kept!.status, 201);
    assert.deepEqual([repeated!.status, repeated!.error!.type], [409, "version_conflict_engine_exception"]);
    assert.equal((await logsCollection(db).findOne({ _id: "conflict-1" }))?.user, "first");
    assert.equal((await logsCollection(db).findOne({ _id: "conflict-2" }))?.user, "third");
  });

  it("answers 200 noop for lines no parser knows, stores none of them and counts them per source", async () => {
    const source = `quiet-${randomBytes(3).toString("hex")}`;
    const answer = await postBulk(
      ndjson(
        { index: {} },
        { message: "CRON[1]: (root) CMD (true)", host: { name: source } },
        { index: {} },
        { message: "systemd[1]: Started x", host: { name: source } },
      ),
    );
    assert.deepEqual(
      items(answer).map((item) => [item.status, item.result]),
      [
        [200, "noop"],
        [200, "noop"],
      ],
    );
    assert.equal(answer.body.errors, false);
    assert.equal(await logsCollection(db).countDocuments({ source }), 0);
    const count = await skippedLinesCollection(db).findOne({
      _id: `${new Date().toISOString().slice(0, 10)}|${source}`,
    });
    assert.equal(
      Object.values(count?.counts ?? {}).reduce((sum, value) => sum + value, 0),
      2,
    );
  });

  it("takes the default index from the path and names it in each answer", async () => {
    const answer = await postBulk(ndjson({ index: {} }, ecsEvent(), { index: { _index: "other" } }, ecsEvent()), {
      index: "auth-logs",
    });
    assert.deepEqual(
      items(answer).map((item) => [item.status, item._index]),
      [
        [201, "auth-logs"],
        [201, "other"],
      ],
    );
  });

  it("takes application/json with a charset as rsyslog sends it, and Elasticsearch's query parameters", async () => {
    const answer = await postBulk(ndjson({ index: {} }, ecsEvent()), {
      headers: { "content-type": "application/json; charset=utf-8" },
      query: "?refresh=false&filter_path=items.*.error",
    });
    assert.equal(items(answer)[0]!.status, 201);
  });

  it("refuses the whole request for another media type (415), a line that is no action or an unknown parameter (400), too many items (413)", async () => {
    assert.equal(
      (await postBulk(ndjson({ index: {} }, ecsEvent()), { headers: { "content-type": "text/plain" } })).status,
      415,
    );
    const notAction = await postBulk(ndjson({ index: {} }, ecsEvent(), { upsert: {} }, ecsEvent()));
    assert.equal(notAction.status, 400);
    assert.equal((notAction.body.error as { details: { field: string }[] }).details[0]!.field, "line 3");
    const parameter = await postBulk(ndjson({ index: {} }, ecsEvent()), { query: "?$where=1" });
    assert.equal(parameter.status, 400);
    assert.equal((parameter.body.error as { details: { field: string }[] }).details[0]!.field, "$where");
    const many = ndjson(
      ...Array.from({ length: 101 }, () => [{ index: {} }, ecsEvent({ user: { name: "too-many" } })]).flat(),
    );
    assert.equal((await postBulk(many)).status, 413);
    assert.equal(await logsCollection(db).countDocuments({ user: "too-many" }), 0);
  });
});

describe("POST /_bulk with raw log lines in message", () => {
  const line =
    "2026-12-07T09:59:58.000000+00:00 db-1 sshd[4242]: Failed password for root from 198.51.100.23 port 50123 ssh2";

  it("reads the line as POST /api/logs/syslog does: its own time and host win, the shipper's fields join its metadata", async () => {
    const document = {
      "@timestamp": "2026-12-07T10:00:03Z",
      message: line,
      host: { name: "shipper-1" },
      log: { offset: 100, file: { path: "/var/log/auth.log" } },
    };
    const answer = await postBulk(ndjson({ index: {} }, document));
    assert.deepEqual(
      items(answer).map((item) => [item.status, item.result]),
      [[201, "created"]],
    );
    const log = await logsCollection(db).findOne({ _id: items(answer)[0]!._id! });
    assert.deepEqual(
      [log?.source, log?.user, log?.ip, log?.status, log?.time.toISOString()],
      ["db-1", "root", "198.51.100.23", "failed", "2026-12-07T09:59:58.000Z"],
    );
    assert.deepEqual(
      [log?.metadata?.log_offset, log?.metadata?.log_file_path, log?.metadata?.pid],
      [100, "/var/log/auth.log", 4242],
    );
  });

  it("stores two identical lines of one batch as two logs, and nothing again when the batch is re-sent", async () => {
    const document = { message: line.replace("4242", "4343"), host: { name: "shipper-1" } };
    const body = ndjson({ index: {} }, document, { index: {} }, document);
    assert.deepEqual(
      items(await postBulk(body)).map((item) => item.status),
      [201, 201],
    );
    assert.deepEqual(
      items(await postBulk(body)).map((item) => item.status),
      [200, 200],
    );
    assert.equal(await logsCollection(db).countDocuments({ "metadata.pid": 4343 }), 2);
  });

  it("reads a line's local time in the zone the shipper names (event.timezone)", async () => {
    const document = {
      "@timestamp": "2026-12-07T09:30:00Z",
      message: "Dec  7 10:00:01 db-2 sshd[77]: Failed password for alice from 198.51.100.24 port 4000 ssh2",
      event: { timezone: "Europe/Paris" },
    };
    const answer = await postBulk(ndjson({ index: { _id: "zoned-line" } }, document));
    assert.equal(items(answer)[0]!.status, 201);
    assert.equal(
      (await logsCollection(db).findOne({ _id: "zoned-line" }))?.time.toISOString(),
      "2026-12-07T09:00:01.000Z",
    );
  });
});

describe("POST /_bulk bodies sent with Content-Encoding: gzip", () => {
  it("stores a gzip body, and refuses one that inflates past the limit with 413, another encoding with 415, bad gzip with 400", async () => {
    const ok = await postBulk(gzipSync(ndjson({ index: { _id: "gzip-1" } }, ecsEvent())), {
      headers: { "content-encoding": "gzip" },
    });
    assert.deepEqual(
      items(ok).map((item) => item.status),
      [201],
    );
    const bomb = gzipSync(
      ndjson(...Array.from({ length: 50 }, () => [{ index: {} }, ecsEvent({ message: "x".repeat(2000) })]).flat()),
    );
    assert.ok(bomb.byteLength < 65536);
    assert.equal((await postBulk(bomb, { headers: { "content-encoding": "gzip" } })).status, 413);
    assert.equal(
      (await postBulk(ndjson({ index: {} }, ecsEvent()), { headers: { "content-encoding": "br" } })).status,
      415,
    );
    assert.equal((await postBulk("not gzip", { headers: { "content-encoding": "gzip" } })).status, 400);
  });
});

describe("POST /_bulk authentication", () => {
  const base64 = (text: string) => Buffer.from(text).toString("base64");

  it("takes the key as Bearer, as ApiKey, as Elastic's base64 id:key and as the Basic password", async () => {
    const forms = {
      bearer: `Bearer ${key}`,
      apiKey: `ApiKey ${key}`,
      elastic: `ApiKey ${base64(`any-id:${key}`)}`,
      basic: `Basic ${base64(`rsyslog:${key}`)}`,
    };
    for (const [form, authorization] of Object.entries(forms)) {
      const answer = await postBulk(ndjson({ index: { _id: `auth-form-${form}` } }, ecsEvent()), { authorization });
      assert.equal(answer.status, 200, form);
      assert.equal(items(answer)[0]!.status, 201, form);
    }
  });

  it("answers 401 with the challenge for no key, a wrong one in any form, and garbled credentials; nothing is stored", async () => {
    const wrong = `llk_0123456789abcdef_${"A".repeat(43)}`;
    for (const authorization of [
      null,
      `Basic ${base64(`rsyslog:${wrong}`)}`,
      `ApiKey ${base64(`id:${wrong}`)}`,
      `Basic ${base64(key)}`,
      "Basic %%%",
      `Digest ${key}`,
    ]) {
      const answer = await postBulk(ndjson({ index: { _id: "auth-refused" } }, ecsEvent()), { authorization });
      assert.equal(answer.status, 401, String(authorization));
      assert.match(answer.headers.get("www-authenticate") ?? "", /^Bearer realm="ledgerline"/);
    }
    assert.equal(await logsCollection(db).countDocuments({ _id: "auth-refused" }), 0);
  });

  it("answers 403 for a key without the ingest scope", async () => {
    const readKey = await createTestApiKey(db, ["read"]);
    assert.equal(
      (await postBulk(ndjson({ index: {} }, ecsEvent()), { authorization: `Basic ${base64(`x:${readKey}`)}` })).status,
      403,
    );
  });
});

describe("POST /_bulk with a bound key", () => {
  it("refuses with 403 each item of another source, fills in its one source and stores the rest", async () => {
    const { key: bound } = await createApiKey(
      db,
      { name: "bulk-bound", scopes: ["ingest"], sources: ["billing-api"], id_prefixes: ["billing-"] },
      { user: "test" },
    );
    const { service: _service, ...unnamed } = ecsEvent({ user: { name: "bound-filled" } });
    const answer = await postBulk(
      ndjson(
        { index: {} },
        ecsEvent({ service: { name: "web" } }),
        { index: {} },
        unnamed,
        { index: { _id: "billing-1" } },
        ecsEvent({ service: { name: "billing-api" } }),
      ),
      { authorization: `Bearer ${bound}` },
    );
    const [other, filled, own] = items(answer);
    assert.deepEqual([other!.status, other!.error!.type], [403, "security_exception"]);
    assert.match(other!.error!.reason, /service\.name 'web' is not a source this API key may send/);
    assert.deepEqual([filled!.status, own!.status], [201, 201]);
    assert.equal((await logsCollection(db).findOne({ user: "bound-filled" }))?.source, "billing-api");
    assert.equal(await logsCollection(db).countDocuments({ source: "web", user: { $regex: "^user" } }), 0);

    const reserved = await postBulk(ndjson({ index: { _id: "billing-2" } }, ecsEvent()));
    assert.deepEqual(
      [items(reserved)[0]!.status, items(reserved)[0]!.error!.type],
      [400, "illegal_argument_exception"],
    );
  });
});
