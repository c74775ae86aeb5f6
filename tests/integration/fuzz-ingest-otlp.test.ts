// Property fuzz of POST /v1/logs: generated OTLP export requests of valid and
// broken records as OTLP/JSON and as protobuf, protobuf with a changed byte,
// and bodies that are no export (deep nesting, bytes that are not UTF-8 or
// not protobuf). A 4xx is a google.rpc.Status; a 200 counts exactly the
// broken records as rejected and stores exactly the valid ones.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { POST as otlpPost } from "@/app/v1/logs/route";
import { logsCollection } from "@/lib/records/logs/collection";
import { LOG_LIMITS } from "@/lib/records/logs/schemas";
import { decodeExportLogsResponse, decodeStatus, encodeExportLogsRequest } from "@/lib/features/otlp/logs-proto";
import {
  anyPastTime,
  fuzz,
  FUZZ_RUNS,
  jsonText,
  metadataKey,
  metadataValue,
  newLogId,
  notUtf8,
  RawJson,
  unstorableText,
  validLog,
  withInvalidBytes,
  withOwnKeys,
  type LogFields,
} from "./support/hostile";
import { call } from "./support/http";
import { MAX_ITEMS, setupIngestFuzz } from "./support/ingest-fuzz";

const store = setupIngestFuzz("fuzz_ingest_otlp");

type Answer = Awaited<ReturnType<typeof call>>;

// POST /v1/logs: OTLP export requests of valid and broken records, as OTLP/JSON or protobuf, and bodies that are none.
type OtlpRecord = { resource: Record<string, unknown>; record: Record<string, unknown>; valid: boolean; uid?: string };
const OTLP_RESERVED = new Set(["dropped_attributes", "severity"]);
const string = (key: string, value: unknown) => ({ key, value: { stringValue: value } });
const anyValue = (value: string | number | boolean) =>
  typeof value === "string"
    ? { stringValue: value }
    : typeof value === "number"
      ? { doubleValue: value }
      : { boolValue: value };
const unixNano = fc.bigInt({ min: 1_000_000n, max: BigInt(Date.now() - 3_600_000) * 1_000_000n }).map(String);

function otlpRecord(
  log: LogFields,
  extras: Record<string, string | number | boolean>,
  nanos: string,
  uid: string,
  eventName: boolean,
): OtlpRecord {
  const attributes = [
    string("user.name", log.user),
    ...(eventName ? [] : [string("event.name", log.action)]),
    string("event.outcome", log.status),
    ...(log.ip === undefined ? [] : [string("client.address", log.ip)]),
    string("log.record.uid", uid),
    ...Object.entries(extras).map(([key, value]) => ({ key, value: anyValue(value) })),
  ];
  return {
    resource: log.source === undefined ? {} : { attributes: [string("service.name", log.source)] },
    record: {
      timeUnixNano: nanos,
      attributes,
      ...(eventName && { eventName: log.action }),
      ...(log.message !== undefined && { body: { stringValue: log.message } }),
    },
    valid: true,
    uid,
  };
}

const otlpExtras = fc.dictionary(
  metadataKey.filter((key) => !OTLP_RESERVED.has(key)),
  metadataValue,
  { maxKeys: 16 },
);
const validOtlpRecord = fc
  .tuple(validLog(anyPastTime), otlpExtras, unixNano, fc.boolean())
  .map(([log, extras, nanos, eventName]) => otlpRecord(log, extras, nanos, newLogId(), eventName));
/** Breaks a protobuf message can carry as well as JSON. */
const OTLP_WIRE_BREAKS: ((record: OtlpRecord) => OtlpRecord)[] = [
  (valid) => ({
    ...valid,
    record: {
      ...valid.record,
      attributes: [string("event.outcome", "unknown"), ...(valid.record.attributes as unknown[])],
    },
  }),
  (valid) => ({ ...valid, resource: { attributes: [string("service.name", "ledgerline")] } }),
  (valid) => ({ ...valid, record: { ...valid.record, timeUnixNano: undefined } }),
  (valid) => ({
    ...valid,
    record: { ...valid.record, attributes: [string("user.name", ""), ...(valid.record.attributes as unknown[])] },
  }),
];
/** Breaks only JSON can carry: text protobuf would not encode, values of the wrong kind. */
const otlpJsonBreak = fc.oneof(
  unstorableText(LOG_LIMITS.user).map((user) => (valid: OtlpRecord) => ({
    ...valid,
    record: { ...valid.record, attributes: [string("user.name", user), ...(valid.record.attributes as unknown[])] },
  })),
  fc
    .constantFrom<unknown>("abc", "-1", "1e400", 1.5, "99999999999999999999999", new RawJson("1e400"))
    .map((nanos) => (valid: OtlpRecord) => ({ ...valid, record: { ...valid.record, timeUnixNano: nanos } })),
  fc
    .constantFrom<unknown>("x", 1, withOwnKeys([["$where", 1]]))
    .map((attributes) => (valid: OtlpRecord) => ({ ...valid, record: { ...valid.record, attributes } })),
  fc
    .constantFrom<unknown>(
      { intValue: "1e400" },
      { intValue: new RawJson("1e400") },
      { bytesValue: "not base64!" },
      { doubleValue: "1e400" },
      { stringValue: 1 },
    )
    .map((value) => (valid: OtlpRecord) => ({
      ...valid,
      record: { ...valid.record, attributes: [...(valid.record.attributes as unknown[]), { key: "extra", value }] },
    })),
  fc.constantFrom("\uD800", "a\uDFFFb").map((message) => (valid: OtlpRecord) => ({
    ...valid,
    record: { ...valid.record, body: { stringValue: message } },
  })),
);
const brokenOtlpRecord = (wire: boolean) =>
  fc
    .tuple(
      validOtlpRecord,
      wire ? fc.constantFrom(...OTLP_WIRE_BREAKS) : fc.oneof(fc.constantFrom(...OTLP_WIRE_BREAKS), otlpJsonBreak),
    )
    .map(([valid, broken]) => ({ ...broken(valid), valid: false }));
const otlpRecords = (wire: boolean) =>
  fc.array(fc.oneof({ weight: 3, arbitrary: validOtlpRecord }, { weight: 1, arbitrary: brokenOtlpRecord(wire) }), {
    minLength: 1,
    maxLength: 6,
  });

const exportRequest = (records: OtlpRecord[]) => ({
  resourceLogs: records.map(({ resource, record }) => ({
    resource,
    scopeLogs: [{ scope: { name: "fuzz" }, logRecords: [record] }],
  })),
});
const deepKvlist = (depth: number) =>
  new RawJson(
    `${'{"kvlistValue":{"values":[{"key":"a","value":'.repeat(depth)}{"stringValue":"x"}${"}]}}".repeat(depth)}`,
  );
const BROKEN_OTLP_BODIES: (string | RawJson)[] = [
  "null",
  "[]",
  '{"resourceLogs":"x"}',
  '{"resourceLogs":[{"scopeLogs":[{"logRecords":"x"}]}]}',
  "{",
  "1e400",
  "",
];

/** The records each stored or rejected as generated, counted in partialSuccess, and nothing else stored. */
async function expectOtlpAnswer(
  answer: Answer,
  records: OtlpRecord[],
  response: { partialSuccess?: { rejectedLogRecords: number | string } },
): Promise<void> {
  const context = `${answer.status} ${JSON.stringify(response).slice(0, 600)}`;
  assert.equal(answer.status, 200, context);
  const rejected = records.filter((record) => !record.valid).length;
  assert.equal(Number(response.partialSuccess?.rejectedLogRecords ?? 0), rejected, context);
  await store.expectStoredThenRemove(
    records.flatMap((record) => (record.valid ? [record.uid!] : [])),
    context,
  );
}

/** 4xx answers are a google.rpc.Status: a gRPC code and a message. */
function expectOtlpStatus(status: unknown, context: string): void {
  const { code, message } = status as { code?: unknown; message?: unknown };
  assert.ok(
    typeof code === "number" && code > 0 && typeof message === "string" && message.length > 0,
    `google.rpc.Status: ${context}`,
  );
}

describe("fuzz: POST /v1/logs", () => {
  it(`answers ${FUZZ_RUNS} generated OTLP/JSON bodies record by record`, async () => {
    const other = fc.oneof(
      fc.constantFrom(...BROKEN_OTLP_BODIES),
      fc.integer({ min: 120, max: 2_000 }).map(deepKvlist),
      fc.constant(
        exportRequest(
          Array.from({ length: MAX_ITEMS + 1 }, () =>
            otlpRecord({ user: "u", action: "a", status: "success" }, {}, "1000000000", "x", false),
          ),
        ),
      ),
    );
    const generated = fc.record({ records: otlpRecords(false), badBytes: notUtf8(10) });
    await fuzz(
      "POST /v1/logs (JSON)",
      fc.oneof({ weight: 10, arbitrary: generated }, { weight: 1, arbitrary: other.map((body) => ({ body })) }),
      async (input) => {
        if ("body" in input) {
          const answer = await call(otlpPost, "POST", "/v1/logs", {
            key: store.key,
            body: typeof input.body === "string" ? input.body : jsonText(input.body),
          });
          assert.ok(answer.status >= 400 && answer.status < 500, answer.text.slice(0, 300));
          expectOtlpStatus(answer.body, answer.text.slice(0, 300));
          return store.expectNothingStored(answer.text.slice(0, 200));
        }
        const { records, badBytes } = input;
        const text = jsonText(exportRequest(records));
        const answer = await call(otlpPost, "POST", "/v1/logs", {
          key: store.key,
          body: badBytes ? withInvalidBytes(text, badBytes[0], badBytes[1]) : text,
        });
        assert.ok(answer.status < 500, answer.text.slice(0, 300));
        if (badBytes) {
          assert.equal(answer.status, 400, answer.text.slice(0, 300));
          expectOtlpStatus(answer.body, answer.text);
          return store.expectNothingStored(answer.text.slice(0, 200));
        }
        await expectOtlpAnswer(answer, records, answer.body);
      },
    );
  });

  it(`answers ${FUZZ_RUNS} generated protobuf bodies: encoded requests, changed bytes and bytes that are none`, async () => {
    const input = fc.oneof(
      { weight: 6, arbitrary: otlpRecords(true).map((records) => ({ kind: "records" as const, records })) },
      {
        weight: 2,
        arbitrary: fc
          .tuple(otlpRecords(true), fc.nat(), fc.integer({ min: 1, max: 255 }))
          .map(([records, at, xor]) => ({ kind: "flipped" as const, records, at, xor })),
      },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ kind: "bytes" as const, bytes })) },
    );
    await fuzz("POST /v1/logs (protobuf)", input, async (value) => {
      const bytes = value.kind === "bytes" ? value.bytes : encodeExportLogsRequest(exportRequest(value.records));
      if (value.kind === "flipped" && bytes.length > 0) bytes[value.at % bytes.length]! ^= value.xor;
      const answer = await call(otlpPost, "POST", "/v1/logs", {
        key: store.key,
        body: new Uint8Array(bytes),
        contentType: "application/x-protobuf",
      });
      const context = `${answer.status} ${Buffer.from(answer.bytes).toString("latin1").slice(0, 300)}`;
      assert.ok(
        (answer.status >= 200 && answer.status < 300) || (answer.status >= 400 && answer.status < 500),
        context,
      );
      if (answer.status >= 400) expectOtlpStatus(decodeStatus(answer.bytes), context);
      const response =
        answer.status < 400
          ? (decodeExportLogsResponse(answer.bytes) as { partialSuccess?: { rejectedLogRecords: number } })
          : {};
      if (value.kind === "records") return expectOtlpAnswer(answer, value.records, response);
      if (value.kind === "bytes") return store.expectNothingStored(context);
      // A changed byte may leave a record valid under other values: whatever was stored goes, and counting starts
      // again.
      await Promise.all(value.records.map((record) => logsCollection(store.db).deleteOne({ _id: record.uid! })));
      await store.recount();
    });
  });
});
