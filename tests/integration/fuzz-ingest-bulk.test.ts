// Property fuzz of POST /_bulk and POST /<index>/_bulk: generated action and
// document pairs (ECS events, broken ones, raw log lines, documents that are
// no object, action metadata and query parameters Elasticsearch has not)
// under generated index names. Every answer is 2xx or a 4xx with the error
// shape; each item is answered as generated (201 for a valid event, 400 for a
// broken one); exactly the created items are stored.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { POST as bulkPost } from "@/app/%5Fbulk/route";
import { POST as indexBulkPost } from "@/app/[index]/%5Fbulk/route";
import { LOG_LIMITS } from "@/lib/records/logs/schemas";
import {
  anyPastTime,
  assertAnswer,
  deepNesting,
  fragment,
  fuzz,
  FUZZ_RUNS,
  hostileText,
  jsonText,
  metadataKey,
  metadataValue,
  newLogId,
  notUtf8,
  RawJson,
  sshdLine,
  unstorableText,
  validLog,
  withInvalidBytes,
  withOwnKeys,
  type LogFields,
} from "./support/hostile";
import { call } from "./support/http";
import { ECS_ROOTS, MAX_BODY_BYTES, setupIngestFuzz } from "./support/ingest-fuzz";

const store = setupIngestFuzz("fuzz_ingest_bulk");

type Answer = Awaited<ReturnType<typeof call>>;

// POST /_bulk and /<index>/_bulk: action and document pairs, each document an ECS event, a broken one, a raw line, or
// no object.
const ecsExtras = fc.dictionary(
  metadataKey.filter((name) => !ECS_ROOTS.has(name)),
  metadataValue,
  { maxKeys: 8 },
);
const outcomeOf = (status: string) => (status.trim().toLowerCase().startsWith("fail") ? "failure" : "success");

function ecsDocument(log: LogFields, extras: Record<string, unknown>, dotted: boolean): Record<string, unknown> {
  const fields: [string, unknown][] = [
    ...(log.timestamp === undefined ? [] : [["@timestamp", log.timestamp] as [string, unknown]]),
    ["user.name", log.user],
    ["event.action", log.action],
    ["event.outcome", outcomeOf(log.status)],
    ...(log.ip === undefined ? [] : [["source.ip", log.ip] as [string, unknown]]),
    ...(log.source === undefined ? [] : [["service.name", log.source] as [string, unknown]]),
    ...(log.message === undefined ? [] : [["message", log.message] as [string, unknown]]),
  ];
  const document: Record<string, unknown> = withOwnKeys(Object.entries(extras));
  for (const [path, value] of fields) {
    if (dotted) document[path] = value;
    else {
      const [head, tail] = path.split(".") as [string, string | undefined];
      if (tail === undefined) document[head] = value;
      else document[head] = { ...(document[head] as object), [tail]: value };
    }
  }
  return document;
}

type BulkEntry = { action: unknown; document?: unknown; expect: 201 | 400 | "any" };
const ECS_BREAKS: [string, fc.Arbitrary<unknown>][] = [
  ["user.name", fc.oneof(unstorableText(LOG_LIMITS.user), fc.constantFrom(1, null, true))],
  ["event.action", unstorableText(LOG_LIMITS.action)],
  ["event.outcome", fc.constantFrom("unknown", "", "succes", 1, null, "<b>success</b>")],
  ["@timestamp", fc.constantFrom("2026-02-30T10:00:00Z", "yesterday", "9999-01-01T00:00:00Z", 1e300, "")],
  ["source.ip", fc.constantFrom("999.1.1.1", "10.0.0.0/8", "<img>")],
  ["service.name", fc.constantFrom("ledgerline", "LEDGERLINE", "", "a\u0000b", "\uD800")],
];
const bulkEntry: fc.Arbitrary<BulkEntry> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(validLog(anyPastTime), ecsExtras, fc.boolean(), fc.boolean())
      .map(([log, extras, dotted, ownId]): BulkEntry => ({
        action: { index: ownId ? { _id: newLogId() } : {} },
        document: ecsDocument(log, extras, dotted),
        expect: 201,
      })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        validLog(anyPastTime),
        fc.constantFrom(...ECS_BREAKS).chain(([path, value]) => value.map((broken) => [path, broken] as const)),
      )
      .map(([log, [path, broken]]): BulkEntry => ({
        action: { create: {} },
        document: { ...ecsDocument(log, {}, true), [path]: broken },
        expect: 400,
      })),
  },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        fc
          .constantFrom<unknown>(
            withOwnKeys([["_id", "-bad"]]),
            withOwnKeys([["_id", "a b"]]),
            withOwnKeys([["$where", 1]]),
            withOwnKeys([["__proto__", {}]]),
            withOwnKeys([["_index", "i".repeat(256)]]),
            withOwnKeys([["_id", 12]]),
          )
          .map((metadata) => ({ index: metadata })),
        fc.constantFrom("update", "delete").map((operation) => ({ [operation]: { _id: "x1" } })),
      )
      .map((action): BulkEntry => ({
        action,
        document:
          "delete" in (action as object)
            ? undefined
            : { "user.name": "a", "event.action": "b", "event.outcome": "success" },
        expect: 400,
      })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom<unknown>(
        new RawJson("[1]"),
        new RawJson("1e400"),
        new RawJson('"x"'),
        new RawJson("null"),
        new RawJson("{"),
      )
      .map((document): BulkEntry => ({ action: { index: {} }, document, expect: 400 })),
  },
  {
    weight: 1,
    arbitrary: deepNesting.map((nested): BulkEntry => ({
      action: { index: {} },
      document: nested.text.startsWith("{") ? nested : new RawJson(`{"a":${nested.text}}`),
      expect: 400,
    })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({
        line: fc.oneof(sshdLine(), hostileText(300)),
        service: fc.option(fc.oneof(hostileText(LOG_LIMITS.source), unstorableText(LOG_LIMITS.source))),
      })
      .map(({ line, service }): BulkEntry => ({
        action: { index: {} },
        document: { message: line, ...(service !== null && { "service.name": service }) },
        expect: "any",
      })),
  },
);
const bulkBody = fc.record({
  entries: fc.array(bulkEntry, { minLength: 1, maxLength: 8 }),
  newline: fc.constantFrom("\n", "\r\n"),
  notUtf8: notUtf8(10),
});
const BROKEN_BULK_BODIES = [
  "{not json}\n{}\n",
  '{"index":{}}\n',
  '{"index":{},"create":{}}\n{}\n',
  '{"explode":{}}\n{}\n',
  '{"index":[]}\n{}\n',
  "[]\n",
  "\n\n",
  "",
];

function bulkText(entries: BulkEntry[], newline: string): string {
  return (
    entries
      .map((entry) =>
        [entry.action, ...(entry.document === undefined ? [] : [entry.document])].map(jsonText).join(newline),
      )
      .join(newline) + newline
  );
}

/** One answer per action, each as the generator expects; what was created is stored, and only that. */
async function expectBulkAnswer(answer: Answer, entries: BulkEntry[], index?: string): Promise<void> {
  const context = answer.text.slice(0, 800);
  assert.equal(answer.status, 200, context);
  const items = answer.body.items as Record<string, { _id: string | null; _index?: string; status: number }>[];
  assert.equal(items.length, entries.length, context);
  const created: string[] = [];
  items.forEach((item, position) => {
    const [operation, result] = Object.entries(item)[0]!;
    assert.equal(operation, Object.keys(entries[position]!.action as object)[0], context);
    const expected = entries[position]!.expect;
    if (expected !== "any") assert.equal(result.status, expected, `item ${position}: ${context}`);
    assert.ok([200, 201, 400, 403, 409].includes(result.status), context);
    if (
      index !== undefined &&
      (entries[position]!.action as Record<string, { _index?: string }>)[operation]?._index === undefined
    )
      assert.equal(result._index, index, context);
    if (result.status === 201) created.push(result._id!);
  });
  assert.equal(
    answer.body.errors,
    items.some((item) => Object.values(item)[0]!.status >= 300),
    context,
  );
  await store.expectStoredThenRemove(created, context);
}

describe("fuzz: POST /_bulk and /<index>/_bulk", () => {
  const queries = fc.oneof(
    fc
      .array(
        fc.tuple(
          fc.constantFrom("refresh", "pipeline", "routing", "timeout", "filter_path", "pretty", "_source"),
          fragment,
        ),
        { maxLength: 3 },
      )
      .map((pairs) => ({ pairs, valid: true })),
    fc
      .tuple(fc.constantFrom("$where", "__proto__", "constructor", "toString", "index", "refresh[$ne]", ""), fragment)
      .map((pair) => ({ pairs: [pair], valid: false })),
  );

  it(`answers ${FUZZ_RUNS} generated bodies and query strings item by item, storing only the created items (POST /_bulk)`, async () => {
    await fuzz(
      "POST /_bulk",
      fc.tuple(
        fc.oneof({ weight: 12, arbitrary: bulkBody }, { weight: 1, arbitrary: fc.constantFrom(...BROKEN_BULK_BODIES) }),
        queries,
      ),
      async ([input, query]) => {
        const search = new URLSearchParams(query.pairs).toString();
        const text = typeof input === "string" ? input : bulkText(input.entries, input.newline);
        const body =
          typeof input !== "string" && input.notUtf8
            ? withInvalidBytes(text, input.notUtf8[0], input.notUtf8[1])
            : new TextEncoder().encode(text);
        const answer = await call(bulkPost, "POST", `/_bulk${search ? `?${search}` : ""}`, {
          key: store.key,
          body,
          contentType: "application/x-ndjson",
        });
        assertAnswer(answer);
        if (typeof input === "string" || !query.valid || input.notUtf8 || body.byteLength > MAX_BODY_BYTES) {
          assert.ok(answer.status >= 400, answer.text.slice(0, 300));
          if (!query.valid)
            assert.ok(
              answer.body.error.details.some((problem: { field: string }) => problem.field === query.pairs[0]![0]),
              answer.text,
            );
          return store.expectNothingStored(answer.text.slice(0, 200));
        }
        await expectBulkAnswer(answer, input.entries);
      },
    );
  });

  it(`answers ${FUZZ_RUNS} generated bodies under generated index names (POST /<index>/_bulk)`, async () => {
    const indexName = fc.oneof(
      { weight: 4, arbitrary: hostileText(255).map((name) => ({ name, valid: true })) },
      { weight: 1, arbitrary: fc.constantFrom("", "i".repeat(256)).map((name) => ({ name, valid: false })) },
    );
    await fuzz("POST /<index>/_bulk", fc.tuple(bulkBody, indexName), async ([input, index]) => {
      const text = bulkText(input.entries, input.newline);
      const body = input.notUtf8
        ? withInvalidBytes(text, input.notUtf8[0], input.notUtf8[1])
        : new TextEncoder().encode(text);
      const answer = await call(indexBulkPost, "POST", `/${encodeURIComponent(index.name)}/_bulk`, {
        key: store.key,
        body,
        contentType: "application/x-ndjson",
        params: { index: index.name },
      });
      assertAnswer(answer);
      if (!index.valid || input.notUtf8 || body.byteLength > MAX_BODY_BYTES) {
        assert.ok(answer.status >= 400, answer.text.slice(0, 300));
        return store.expectNothingStored(answer.text.slice(0, 200));
      }
      await expectBulkAnswer(answer, input.entries, index.name);
    });
  });
});
