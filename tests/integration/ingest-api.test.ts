// POST /api/logs through its route handler, against the real embedded server.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import type { Db } from "mongodb";
import { POST } from "@/app/api/logs/route";
import { AUDIT_SOURCE } from "@/lib/records/logs/provenance";
import { revokeApiKey } from "@/lib/records/auth/api-keys";
import { getDb } from "@/lib/platform/db/client";
import { getKeyring } from "@/lib/records/integrity/active-keyring";
import { verifyLogMac } from "@/lib/records/integrity/mac";
import { logsCollection } from "@/lib/records/logs/collection";
import { signedFieldsOf } from "@/lib/records/logs/record";
import { createTestApiKey, setupAppDatabase } from "./support/app-db";
import { call } from "./support/http";
import { makeLogInput, makeLogInputs } from "./support/log-inputs";

setupAppDatabase("ingest_api", { INGEST_MAX_BODY_BYTES: "65536", INGEST_MAX_ITEMS: "100" });

let db: Db;
let key: string;
const post = (body: unknown, options: { key?: string; contentType?: string } = {}) =>
  call(POST, "POST", "/api/logs", {
    key: "key" in options ? options.key : key,
    body: typeof body === "string" ? body : JSON.stringify(body),
    contentType: options.contentType,
  });
// Ledgerline's own audit events (key creation, ...) are logs too; count only the services' logs.
const storedCount = () => logsCollection(db).countDocuments({ source: { $ne: AUDIT_SOURCE } });

before(async () => {
  db = await getDb();
  key = await createTestApiKey(db, ["ingest"]);
});

describe("POST /api/logs authentication", () => {
  it("answers 401 with a Bearer challenge without a key, and stores nothing", async () => {
    const response = await post(makeLogInput(), { key: undefined });
    assert.equal(response.status, 401);
    assert.equal(response.body.error.code, "unauthorized");
    assert.match(response.headers.get("www-authenticate") ?? "", /^Bearer/);
    assert.equal(await storedCount(), 0);
  });

  it("answers 401 for a malformed or unknown key", async () => {
    for (const bad of [
      "nope",
      `llk_0123456789abcdef_${"A".repeat(43)}`,
      key.slice(0, -1) + (key.endsWith("A") ? "B" : "A"),
    ]) {
      const response = await post(makeLogInput(), { key: bad });
      assert.equal(response.status, 401, bad);
    }
    assert.equal(await storedCount(), 0);
  });

  it("answers 401 for a revoked key", async () => {
    const revokedKey = await createTestApiKey(db, ["ingest"]);
    await revokeApiKey(db, revokedKey.split("_")[1]!, { user: "test" });
    const response = await post(makeLogInput(), { key: revokedKey });
    assert.equal(response.status, 401);
    assert.equal(await storedCount(), 0);
  });

  it("answers 403 for a key without the ingest scope", async () => {
    const readKey = await createTestApiKey(db, ["read"]);
    const response = await post(makeLogInput(), { key: readKey });
    assert.equal(response.status, 403);
    assert.equal(response.body.error.code, "forbidden");
    assert.equal(await storedCount(), 0);
  });
});

describe("POST /api/logs bad input", () => {
  it("answers 415 for a media type it does not take", async () => {
    const response = await post("user=alice", { contentType: "application/x-www-form-urlencoded" });
    assert.equal(response.status, 415);
    assert.equal(response.body.error.code, "unsupported_media_type");
  });

  it("answers 400 with the position for malformed JSON", async () => {
    const response = await post('{"user": "alice",}');
    assert.equal(response.status, 400);
    assert.equal(response.body.error.code, "invalid_json");
    assert.match(response.body.error.message, /line 1, column \d+ \(position \d+\)/);
  });

  it("answers 400 naming the NDJSON line that is not JSON", async () => {
    const body = `${JSON.stringify(makeLogInput())}\n{oops\n`;
    const response = await post(body, { contentType: "application/x-ndjson" });
    assert.equal(response.status, 400);
    assert.match(response.body.error.message, /^Line 2 is not valid JSON/);
  });

  it("lists every invalid field with its index and stores nothing from the batch", async () => {
    const batch = [
      makeLogInput(),
      makeLogInput({ ip: "999.1.1.1", status: "maybe", extra: true }),
      makeLogInput({ timestamp: "2026-01-01 10:00", metadata: { "a.b": 1, $where: "x", nested: { x: 1 } } }),
      makeLogInput({ user: "nul\u0000byte", message: "x".repeat(9000) }),
      makeLogInput({ metadata: { legacy_hash: "verified" } }),
    ];
    const response = await post(batch);
    assert.equal(response.status, 400);
    assert.equal(response.body.error.code, "validation_failed");
    const problems = response.body.error.details.map(
      (d: { index: number; field: string; message: string }) => `${d.index} ${d.field}: ${d.message}`,
    );
    const expectations = [
      /^1 ip: must be an IPv4 or IPv6 address$/,
      /^1 status: must be 'success' or 'failed'/,
      /^1 extra: is not a known field$/,
      /^2 timestamp: must be an ISO 8601 date-time/,
      /^2 metadata\.a\.b: metadata keys must not contain '\.'$/,
      /^2 metadata\.\$where: metadata keys must not start with '\$'$/,
      /^2 metadata\.nested: metadata values must be strings, finite numbers or booleans/,
      /^3 user: must not contain NUL characters$/,
      /^3 message: must be at most 8192 characters$/,
      /^4 metadata\.legacy_hash: is set only by the import of the original project's CSV$/,
    ];
    for (const expected of expectations)
      assert.ok(
        problems.some((p: string) => expected.test(p)),
        `${expected} in ${problems.join(" | ")}`,
      );
    assert.equal(await storedCount(), 0);
  });

  it("refuses the source reserved for Ledgerline's own audit log, in any case, naming it, and stores nothing", async () => {
    const before = await logsCollection(db).countDocuments();
    const forged = makeLogInput({
      source: AUDIT_SOURCE,
      action: "sign_in",
      user: "admin@example.com",
      status: "success",
    });
    const response = await post([makeLogInput(), forged, makeLogInput({ source: "LedgerLine" })]);
    assert.equal(response.status, 400);
    const problems = response.body.error.details.map(
      (d: { index: number; field: string; message: string }) => `${d.index} ${d.field}: ${d.message}`,
    );
    assert.deepEqual(
      problems,
      [1, 2].map(
        (index) => `${index} source: is reserved for Ledgerline's own audit log; name the service that sent the event`,
      ),
    );
    assert.equal(await logsCollection(db).countDocuments(), before);
  });

  it("refuses statuses named like Object.prototype's members as invalid, not with a 500", async () => {
    const response = await post(
      ["constructor", "__proto__", " toString ", "hasOwnProperty"].map((status) => makeLogInput({ status })),
    );
    assert.equal(response.status, 400);
    assert.deepEqual(
      response.body.error.details.map((d: { index: number; field: string }) => [d.index, d.field]),
      [
        [0, "status"],
        [1, "status"],
        [2, "status"],
        [3, "status"],
      ],
    );
    assert.equal(await storedCount(), 0);
  });

  it("refuses a timestamp too far in the future, naming the limit", async () => {
    const future = new Date(Date.now() + 10 * 60_000).toISOString();
    const response = await post([makeLogInput(), makeLogInput({ timestamp: future })]);
    assert.equal(response.status, 400);
    assert.deepEqual(
      response.body.error.details.map((d: { index: number; field: string }) => [d.index, d.field]),
      [[1, "timestamp"]],
    );
    assert.match(response.body.error.details[0].message, /300 seconds ahead/);
    assert.equal(await storedCount(), 0);
  });

  it("answers 413 for too many logs or too large a body", async () => {
    assert.equal((await post(makeLogInputs(101))).status, 413);
    const big = makeLogInputs(10, { message: "x".repeat(8000) });
    const response = await post(big);
    assert.equal(response.status, 413);
    assert.equal(response.body.error.code, "payload_too_large");
    assert.equal(await storedCount(), 0);
  });

  it("answers 400 for an empty batch or a body that is not an object", async () => {
    assert.equal((await post([])).status, 400);
    assert.equal((await post("42")).status, 400);
    assert.equal((await post([1, "x"])).status, 400);
  });
});

describe("POST /api/logs storing", () => {
  it("stores one object as a signed log with its sequence, receive time and dimensions", async () => {
    const input = makeLogInput({
      status: "FAILURE",
      timestamp: "2026-01-02T03:04:05.123456+02:00",
      source: "vpn",
      metadata: { port: 22, tls: true },
    });
    const response = await post(input);
    assert.equal(response.status, 201);
    assert.deepEqual(response.body, { accepted: 1, duplicates: 0, ids: [input.log_id] });

    const stored = await logsCollection(db).findOne({ _id: input.log_id as string });
    assert.ok(stored);
    assert.equal(stored.status, "failed");
    assert.equal(stored.timestamp, "2026-01-02T03:04:05.123456+02:00");
    assert.equal(stored.time.toISOString(), "2026-01-02T01:04:05.123Z");
    assert.equal(stored.hour, 1);
    assert.equal(stored.day, "2026-01-02");
    assert.equal(stored.quarter.toISOString(), "2026-01-02T01:00:00.000Z");
    assert.ok(Number.isInteger(stored.sequence) && stored.sequence >= 1);
    assert.ok(stored.received_at instanceof Date);
    assert.equal(stored.key_id, "test");
    assert.equal(verifyLogMac({ ...signedFieldsOf(stored), mac: stored.mac }, getKeyring()), "valid");
  });

  it("stores a JSON array and NDJSON, generating log_ids and timestamps when absent", async () => {
    const withoutIds = makeLogInputs(3).map(({ log_id: _id, timestamp: _ts, ...rest }) => rest);
    const array = await post(withoutIds);
    assert.equal(array.status, 201);
    assert.equal(array.body.accepted, 3);
    for (const id of array.body.ids) assert.match(id, /^[0-9a-f-]{36}$/);

    const lines =
      makeLogInputs(2)
        .map((log) => JSON.stringify(log))
        .join("\n") + "\n\n";
    const ndjson = await post(lines, { contentType: "application/x-ndjson" });
    assert.equal(ndjson.status, 201);
    assert.equal(ndjson.body.accepted, 2);
  });
});

describe("POST /api/logs idempotency", () => {
  it("stores one copy when a whole batch is retried, answering 200 with every item a duplicate", async () => {
    const batch = makeLogInputs(20);
    const first = await post(batch);
    assert.equal(first.status, 201);
    const before = await storedCount();
    const retry = await post(batch);
    assert.equal(retry.status, 200);
    assert.deepEqual(retry.body, { accepted: 0, duplicates: 20, ids: batch.map((log) => log.log_id) });
    assert.equal(await storedCount(), before);
  });

  it("completes a partly stored batch on retry without duplicates", async () => {
    const batch = makeLogInputs(30);
    await post(batch.slice(0, 12)); // what a failed first attempt managed to store
    const before = await storedCount();
    const retry = await post(batch);
    assert.equal(retry.status, 201);
    assert.equal(retry.body.accepted, 18);
    assert.equal(retry.body.duplicates, 12);
    assert.equal(await storedCount(), before + 18);
  });

  it("treats a retried log without a timestamp as the same log", async () => {
    const { timestamp: _omit, ...input } = makeLogInput();
    assert.equal((await post(input)).status, 201);
    const retry = await post(input);
    assert.equal(retry.status, 200);
    assert.equal(retry.body.duplicates, 1);
  });

  it("answers 409 naming the log_id re-sent with other content, and stores nothing from that request", async () => {
    const original = makeLogInput();
    await post(original);
    const fresh = makeLogInputs(5);
    const before = await storedCount();
    const response = await post([...fresh, { ...original, user: "mallory" }]);
    assert.equal(response.status, 409);
    assert.equal(response.body.error.code, "conflict");
    assert.match(response.body.error.message, new RegExp(String(original.log_id)));
    assert.deepEqual(
      response.body.error.details.map((d: { index: number }) => d.index),
      [5],
    );
    assert.equal(await storedCount(), before);
    const kept = await logsCollection(db).findOne({ _id: original.log_id as string });
    assert.equal(kept?.user, original.user);
  });

  it("answers 409 naming every conflicting log_id among new logs and stored repeats, and changes nothing stored", async () => {
    const stored = makeLogInputs(4);
    assert.equal((await post(stored)).status, 201);
    const storedBefore = await logsCollection(db)
      .find({ _id: { $in: stored.map((log) => log.log_id as string) } })
      .sort({ _id: 1 })
      .toArray();
    const before = await storedCount();
    const response = await post([
      makeLogInput(),
      stored[0], // identical repeat
      { ...stored[1], message: "edited" },
      makeLogInput(),
      stored[2], // identical repeat
      { ...stored[3], status: stored[3]!.status === "failed" ? "success" : "failed" },
    ]);
    assert.equal(response.status, 409);
    assert.deepEqual(
      response.body.error.details,
      [1, 3].map((i) => ({
        index: i === 1 ? 2 : 5,
        field: "log_id",
        message: `'${stored[i]!.log_id}' is already stored with different content, by this same sender`,
        stored_by: "this_sender",
      })),
    );
    assert.equal(await storedCount(), before);
    const storedAfter = await logsCollection(db)
      .find({ _id: { $in: stored.map((log) => log.log_id as string) } })
      .sort({ _id: 1 })
      .toArray();
    assert.deepEqual(storedAfter, storedBefore, "the stored logs keep their fields, sequences and MACs");
  });

  it("counts an identical repeat within one request as a duplicate and refuses a differing one", async () => {
    const log = makeLogInput();
    const same = await post([log, log]);
    assert.equal(same.status, 201);
    assert.deepEqual([same.body.accepted, same.body.duplicates], [1, 1]);

    const other = makeLogInput();
    const differing = await post([other, { ...other, action: "logout" }]);
    assert.equal(differing.status, 409);
    assert.equal(await logsCollection(db).countDocuments({ _id: other.log_id as string }), 0);
  });
});

describe("a log without a client address", () => {
  it("is stored without ip (nothing invented), signed, and its MAC verifies", async () => {
    const response = await post([{ log_id: "su-1", user: "alice", action: "su", status: "failed", source: "host-1" }]);
    assert.equal(response.status, 201, response.text);
    const stored = await logsCollection(db).findOne({ _id: "su-1" });
    assert.ok(stored);
    assert.equal("ip" in stored, false);
    assert.equal("ip_key" in stored, false);
    assert.equal(verifyLogMac({ ...signedFieldsOf(stored), mac: stored.mac }, getKeyring()), "valid");
  });

  it("still refuses an ip that is not an address, naming the field", async () => {
    const response = await post([{ user: "alice", action: "su", status: "failed", ip: "" }]);
    assert.equal(response.status, 400);
    assert.equal(response.body.error.details[0].field, "ip");
  });
});

describe("POST /api/logs as shippers send it", () => {
  it("takes the key as the Basic password and a gzip body", async () => {
    const input = makeLogInput();
    const request = new Request("http://localhost/api/logs", {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`shipper:${key}`).toString("base64")}`,
        "content-type": "application/json",
        "content-encoding": "gzip",
      },
      body: new Uint8Array(gzipSync(JSON.stringify([input]))),
    });
    const response = await POST(request, { params: Promise.resolve({}) });
    assert.equal(response.status, 201, await response.clone().text());
    assert.equal((await logsCollection(db).findOne({ _id: input.log_id as string }))?.user, input.user);
  });
});
