// Property fuzz of POST /api/logs: generated batches of valid and broken logs
// (hostile text, wrong types, operator and prototype keys, numbers JSON cannot
// hold) as a JSON array, one object or NDJSON, some with bytes that are not
// UTF-8, and bodies that are no batch at all. Every answer is 2xx or a 4xx
// with the error shape; a batch of valid logs is stored whole, one with a
// broken log refused naming only broken items by their field, and a refused
// request stores nothing.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { gzipSync } from "node:zlib";
import { POST as logsPost } from "@/app/api/logs/route";
import {
  anyPastTime,
  assertAnswer,
  brokenLog,
  deepNesting,
  fuzz,
  FUZZ_RUNS,
  jsonText,
  newLogId,
  notUtf8,
  validLog,
  withInvalidBytes,
  type BrokenLog,
  type LogFields,
} from "./support/hostile";
import { call } from "./support/http";
import { MAX_BODY_BYTES, MAX_ITEMS, setupIngestFuzz } from "./support/ingest-fuzz";

const store = setupIngestFuzz("fuzz_ingest_logs");

type Answer = Awaited<ReturnType<typeof call>>;

// POST /api/logs: a batch of valid and broken logs in one of the encodings, maybe with bytes that are not UTF-8.
type Item = { valid: true; log: LogFields; ownId: boolean } | ({ valid: false } & BrokenLog);
const item: fc.Arbitrary<Item> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.tuple(validLog(anyPastTime), fc.boolean()).map(([log, ownId]): Item => ({ valid: true, log, ownId })),
  },
  { weight: 1, arbitrary: brokenLog(anyPastTime).map((broken): Item => ({ valid: false, ...broken })) },
);
const ENCODINGS = ["array", "object", "ndjson", "ndjson-crlf"] as const;
const batch = fc.record({
  items: fc.array(item, { minLength: 1, maxLength: 8 }),
  encoding: fc.constantFrom(...ENCODINGS),
  notUtf8: notUtf8(8),
});
type OtherBody = {
  body: string | Uint8Array<ArrayBuffer>;
  contentType?: string;
  headers?: Record<string, string>;
  status: number;
};
const otherBody: fc.Arbitrary<OtherBody> = fc.oneof(
  deepNesting.map((nested) => ({ body: nested.text, status: 400 })),
  fc
    .constantFrom(
      "null",
      "1e400",
      "18446744073709551616",
      '"x"',
      "true",
      "[]",
      "{}",
      "[[]]",
      "[null]",
      '{"user":',
      "\uFEFF{}",
      "",
      " ",
      "\u0000",
    )
    .map((body) => ({ body, status: 400 })),
  fc
    .constantFrom(
      "text/plain",
      "application/x-www-form-urlencoded",
      "",
      "application/jsonx",
      "multipart/form-data; boundary=x",
    )
    .map((contentType) => ({ body: "{}", contentType, status: 415 })),
  fc.constant({
    body: JSON.stringify(Array.from({ length: MAX_ITEMS + 1 }, () => ({ user: "a", action: "b", status: "success" }))),
    status: 413,
  }),
  fc.constant({ body: `[${"1,".repeat(MAX_BODY_BYTES / 2)}1]`, status: 413 }),
  fc
    .constantFrom("br", "deflate", "gzip, gzip", "compress")
    .map((encoding) => ({ body: "{}", headers: { "content-encoding": encoding }, status: 415 })),
  fc
    .constantFrom(Buffer.from("{not gzip"), gzipSync("{}").subarray(0, 8))
    .map((bytes) => ({ body: new Uint8Array(bytes), headers: { "content-encoding": "gzip" }, status: 400 })),
);

function encodeBatch(logs: unknown[], encoding: (typeof ENCODINGS)[number]): { text: string; contentType: string } {
  if (encoding === "array" || (encoding === "object" && logs.length > 1))
    return { text: jsonText(logs), contentType: "application/json" };
  if (encoding === "object") return { text: jsonText(logs[0]), contentType: "application/json" };
  const newline = encoding === "ndjson" ? "\n" : "\r\n";
  return { text: logs.map(jsonText).join(newline) + newline, contentType: "application/x-ndjson" };
}

describe("fuzz: POST /api/logs", () => {
  it(`answers ${FUZZ_RUNS} generated bodies as their content asks, storing only from accepted ones`, async () => {
    await fuzz(
      "POST /api/logs",
      fc.oneof({ weight: 9, arbitrary: batch }, { weight: 1, arbitrary: otherBody }),
      async (input) => {
        if ("body" in input) {
          const answer = await call(logsPost, "POST", "/api/logs", {
            key: store.key,
            body: input.body,
            contentType: input.contentType ?? "application/json",
            headers: input.headers,
          });
          assertAnswer(answer);
          assert.equal(answer.status, input.status, answer.text.slice(0, 300));
          return store.expectNothingStored(answer.text.slice(0, 200));
        }
        const logs = input.items.map((entry) =>
          entry.valid ? (entry.ownId ? { log_id: newLogId(), ...entry.log } : entry.log) : entry.log,
        );
        const { text, contentType } = encodeBatch(logs, input.encoding);
        const body = input.notUtf8
          ? withInvalidBytes(text, input.notUtf8[0], input.notUtf8[1])
          : new TextEncoder().encode(text);
        const answer = await call(logsPost, "POST", "/api/logs", { key: store.key, body, contentType });
        assertAnswer(answer);
        const context = answer.text.slice(0, 500);
        if (body.byteLength > MAX_BODY_BYTES) assert.equal(answer.status, 413, context);
        else if (input.notUtf8)
          assert.deepEqual([answer.status, answer.body?.error?.code], [400, "invalid_json"], context);
        else if (input.items.every((entry) => entry.valid)) {
          assert.equal(answer.status, 201, context);
          assert.deepEqual([answer.body.accepted, answer.body.duplicates], [logs.length, 0], context);
          logs.forEach(
            (log, index) =>
              (log as LogFields).log_id === undefined ||
              assert.equal(answer.body.ids[index], (log as LogFields).log_id),
          );
          return store.expectStoredThenRemove(answer.body.ids, context);
        } else expectNamesBrokenItems(answer, input.items);
        return store.expectNothingStored(context);
      },
    );
  });
});

/** A 400 whose details name broken items only, each by the field it breaks. */
function expectNamesBrokenItems(answer: Answer, items: Item[]): void {
  const context = answer.text.slice(0, 500);
  assert.deepEqual([answer.status, answer.body?.error?.code], [400, "validation_failed"], context);
  const problems = answer.body.error.details as { index: number; field: string }[];
  assert.ok(problems.length > 0, context);
  for (const problem of problems) {
    const named = items[problem.index];
    assert.ok(named && !named.valid, `only broken items are named: ${context}`);
    assert.ok(
      problem.field === named.field || problem.field.startsWith(`${named.field}.`),
      `item ${problem.index} is named by ${named.field}: ${context}`,
    );
  }
}
