// POST /v1/logs (OTLP/HTTP) through its route handler, against the real
// embedded server: records stored one by one with OTLP's partial success,
// OTLP/JSON and binary protobuf, and failures as google.rpc.Status.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { POST } from "@/app/v1/logs/route";
import { AUDIT_SOURCE } from "@/lib/records/logs/provenance";
import { createApiKey } from "@/lib/records/auth/api-keys";
import { getDb } from "@/lib/platform/db/client";
import { logsCollection } from "@/lib/records/logs/collection";
import { ingestedByKey } from "@/lib/records/logs/provenance";
import { decodeExportLogsResponse, decodeStatus, encodeExportLogsRequest } from "@/lib/features/otlp/logs-proto";
import { createTestApiKey, setupAppDatabase } from "./support/app-db";
import { call } from "./support/http";
import { makeExportRequest, makeOtlpRecord } from "./support/otlp";

setupAppDatabase("otlp_logs_api", { INGEST_MAX_BODY_BYTES: "65536", INGEST_MAX_ITEMS: "50" });

const PROTOBUF = "application/x-protobuf";
// The body the collector (v0.165.0, deploy/otel-collector/config.yaml with encoding: json) sent for four lines of
// auth.log, one of them not sshd's.
const COLLECTOR_BODY = readFileSync("tests/fixtures/otlp/collector-sshd.json", "utf8");

let db: Db;
let key: string;
let keyId: string;

const post = (body: unknown, options: { key?: string; contentType?: string } = {}) =>
  call(POST, "POST", "/v1/logs", {
    key: "key" in options ? options.key : key,
    body: typeof body === "string" ? body : body instanceof Uint8Array ? new Uint8Array(body) : JSON.stringify(body),
    contentType: options.contentType,
  });
const storedCount = () => logsCollection(db).countDocuments({ source: { $ne: AUDIT_SOURCE } });

before(async () => {
  db = await getDb();
  const created = await createApiKey(db, { name: "collector", scopes: ["ingest"] }, { user: "test" });
  key = created.key;
  keyId = created.summary.id;
});

describe("POST /v1/logs with OTLP/JSON", () => {
  it("stores the records the collector sends, mapped by the semantic conventions, and answers {}", async () => {
    const response = await post(COLLECTOR_BODY);
    assert.equal(response.status, 200, response.text);
    assert.equal(response.headers.get("content-type"), "application/json");
    assert.deepEqual(response.body, {});
    const logs = await logsCollection(db).find({ source: "sshd" }).sort({ timestamp: 1 }).toArray();
    assert.deepEqual(
      logs.map((log) => [log.timestamp, log.ip, log.user, log.action, log.status]),
      [
        ["2026-12-07T11:40:18.123456Z", "203.0.113.5", "admin", "ssh_login", "failed"],
        ["2026-12-07T11:40:19.000001Z", "2001:db8::7", "alice", "ssh_login", "success"],
        ["2026-12-07T11:40:21.000Z", "203.0.113.5", "root", "ssh_login", "failed"],
      ],
    );
    assert.match(logs[0]!.message!, /Failed password for invalid user admin/);
    assert.deepEqual(logs[0]!.metadata, {
      ssh_auth_method: "password",
      client_port: "52144",
      process_pid: "812",
      log_file_name: "auth.log",
      host_name: "bastion",
    });
    assert.ok(logs.every((log) => /^otlp-[0-9a-f]{32}$/.test(log._id) && log.ingested_by === ingestedByKey(keyId)));
  });

  it("stores nothing twice when the same batch is sent again", async () => {
    const request = makeExportRequest({
      "auth-svc": [
        makeOtlpRecord(),
        makeOtlpRecord(),
        makeOtlpRecord({ attributes: { "log.record.uid": "01JF6Z7Q3K8VRETRY" } }),
      ],
    });
    assert.deepEqual((await post(request)).body, {});
    const before = await storedCount();
    const again = await post(request);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, {});
    assert.equal(await storedCount(), before);
  });

  it("stores the valid records and rejects the others, naming each record and field", async () => {
    const good = [makeOtlpRecord(), makeOtlpRecord()];
    const request = makeExportRequest({
      partial: [
        good[0],
        makeOtlpRecord({ attributes: { "event.outcome": "unknown" } }),
        good[1],
        makeOtlpRecord({ attributes: { "user.name": null } }),
      ],
    });
    const response = await post(request);
    assert.equal(response.status, 200);
    assert.equal(response.body.partialSuccess.rejectedLogRecords, 2);
    const message: string = response.body.partialSuccess.errorMessage;
    assert.match(message, /^2 of 4 log records rejected: /);
    assert.match(
      message,
      /resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[1\] attributes\["event\.outcome"\]: must be 'success' or 'failed'/,
    );
    assert.match(message, /resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[3\] attributes\["user\.name"\]: is required/);
    assert.equal(await logsCollection(db).countDocuments({ source: "partial" }), 2);
  });

  it("rejects a record whose log.record.uid is stored with other content, and stores the rest", async () => {
    const uid = "01JF6Z7Q3K8VCONFLICT";
    assert.deepEqual(
      (await post(makeExportRequest({ conflict: [makeOtlpRecord({ attributes: { "log.record.uid": uid } })] }))).body,
      {},
    );
    const response = await post(
      makeExportRequest({ conflict: [makeOtlpRecord(), makeOtlpRecord({ attributes: { "log.record.uid": uid } })] }),
    );
    assert.equal(response.body.partialSuccess.rejectedLogRecords, 1);
    assert.match(
      response.body.partialSuccess.errorMessage,
      /logRecords\[1\] log_id: '01JF6Z7Q3K8VCONFLICT' is already stored with different content, by this same sender/,
    );
    assert.equal(await logsCollection(db).countDocuments({ source: "conflict" }), 2);
  });

  it("rejects, per record, what a key bound to a source may not send", async () => {
    const bound = await createApiKey(
      db,
      { name: "sshd-only", scopes: ["ingest"], sources: ["sshd-bound"] },
      { user: "test" },
    );
    const response = await post(
      makeExportRequest({ "sshd-bound": [makeOtlpRecord()], "web-bound": [makeOtlpRecord(), makeOtlpRecord()] }),
      { key: bound.key },
    );
    assert.equal(response.status, 200);
    assert.equal(response.body.partialSuccess.rejectedLogRecords, 2);
    assert.match(
      response.body.partialSuccess.errorMessage,
      /resourceLogs\[1\]\.scopeLogs\[0\]\.logRecords\[0\] resource\.attributes\["service\.name"\]: 'web-bound' is not a source this API key may send/,
    );
    assert.equal(await logsCollection(db).countDocuments({ source: "sshd-bound" }), 1);
    assert.equal(await logsCollection(db).countDocuments({ source: "web-bound" }), 0);
  });

  it("stores a record without client.address as a log without an address", async () => {
    const response = await post(
      makeExportRequest({ "su-svc": [makeOtlpRecord({ attributes: { "client.address": null } })] }),
    );
    assert.deepEqual(response.body, {});
    const stored = await logsCollection(db).findOne({ source: "su-svc" });
    assert.ok(stored && !("ip" in stored));
  });

  it("answers an empty export with success", async () => {
    for (const body of [{}, { resourceLogs: [] }, { resourceLogs: [{ scopeLogs: [{ logRecords: [] }] }] }]) {
      const response = await post(body);
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, {});
    }
  });
});

describe("POST /v1/logs with binary protobuf", () => {
  it("stores an export and answers in protobuf, with the partial success", async () => {
    const request = makeExportRequest({
      "proto-svc": [
        makeOtlpRecord({ body: { kvlistValue: { values: [{ key: "n", value: { intValue: "3" } }] } } }),
        makeOtlpRecord({ attributes: { "event.outcome": "maybe" } }),
      ],
    });
    const response = await post(encodeExportLogsRequest(request), { contentType: PROTOBUF });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), PROTOBUF);
    const answer = decodeExportLogsResponse(response.bytes) as {
      partialSuccess: { rejectedLogRecords: number; errorMessage: string };
    };
    assert.equal(answer.partialSuccess.rejectedLogRecords, 1);
    assert.match(answer.partialSuccess.errorMessage, /logRecords\[1\] attributes\["event\.outcome"\]/);
    const stored = await logsCollection(db).findOne({ source: "proto-svc" });
    assert.equal(stored?.message, '{"n":3}');
  });

  it("stores the same log from the same export in either encoding", async () => {
    const request = makeExportRequest({ "either-svc": [makeOtlpRecord()] });
    await post(request);
    const response = await post(encodeExportLogsRequest(request), { contentType: PROTOBUF });
    assert.deepEqual(decodeExportLogsResponse(response.bytes), {});
    assert.equal(await logsCollection(db).countDocuments({ source: "either-svc" }), 1);
  });

  it("answers 400 with a protobuf Status for bytes that are not an export", async () => {
    const response = await post(new TextEncoder().encode("not protobuf at all"), { contentType: PROTOBUF });
    assert.equal(response.status, 400);
    assert.equal(response.headers.get("content-type"), PROTOBUF);
    const status = decodeStatus(response.bytes) as { code: number; message: string };
    assert.equal(status.code, 3);
    assert.match(status.message, /is not a protobuf ExportLogsServiceRequest/);
  });
});

describe("POST /v1/logs failures as google.rpc.Status", () => {
  it("401 without a key, with the Bearer challenge", async () => {
    const response = await post(makeExportRequest({ x: [makeOtlpRecord()] }), { key: undefined });
    assert.equal(response.status, 401);
    assert.equal(response.body.code, 16);
    assert.match(response.body.message, /Authorization: Bearer/);
    assert.match(response.headers.get("www-authenticate") ?? "", /^Bearer/);
  });

  it("403 for a key without the ingest scope", async () => {
    const response = await post(makeExportRequest({ x: [makeOtlpRecord()] }), {
      key: await createTestApiKey(db, ["read"]),
    });
    assert.deepEqual([response.status, response.body.code], [403, 7]);
  });

  it("415 for a media type OTLP/HTTP does not use", async () => {
    const response = await post("resourceLogs=1", { contentType: "text/plain" });
    assert.equal(response.status, 415);
    assert.deepEqual(response.body, {
      code: 3,
      message: "Content-Type must be application/json or application/x-protobuf (OTLP/HTTP), not text/plain.",
    });
  });

  it("400 for a body that is not OTLP, naming what is wrong", async () => {
    const notJson = await post("{");
    assert.equal(notJson.status, 400);
    assert.match(notJson.body.message, /not valid JSON/);
    const notOtlp = await post({ resourceLogs: "all of them" });
    assert.equal(notOtlp.status, 400);
    assert.match(
      notOtlp.body.message,
      /^The body is not an OTLP export of logs: resourceLogs: must be an array, not string/,
    );
  });

  it("400 for a body nested too deep, without exhausting the stack", async () => {
    const body = `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":${'{"arrayValue":{"values":['.repeat(2000)}${"]}}".repeat(2000)}}]}]}]}`;
    const response = await post(body);
    assert.equal(response.status, 400);
    assert.match(response.body.message, /nests more than 400 levels deep/);
  });

  it("413 for a body over the limit or more records than one request may hold, storing nothing", async () => {
    const before = await storedCount();
    const large = await post(
      makeExportRequest({ big: [makeOtlpRecord({ body: { stringValue: "x".repeat(70_000) } })] }),
    );
    assert.deepEqual([large.status, large.body.code], [413, 8]);
    assert.match(large.body.message, /larger than 65536 bytes/);
    const many = await post(makeExportRequest({ many: Array.from({ length: 51 }, () => makeOtlpRecord()) }));
    assert.equal(many.status, 413);
    assert.match(many.body.message, /51 log records; at most 50/);
    assert.equal(await storedCount(), before);
  });
});
