// Property fuzz of metadata through the shippers' protocols: generated fields
// that name no log field (hostile keys such as toString, hostile string values,
// numbers such as 2**64 and 1e308, booleans) sent as ECS fields through
// POST /_bulk and as OTLP attributes through POST /v1/logs come back from
// GET /api/logs as metadata under their own names, as sent.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import fc from "fast-check";
import type { Db } from "mongodb";
import { POST as bulkPost } from "@/app/%5Fbulk/route";
import { GET as logsGet } from "@/app/api/logs/route";
import { POST as otlpPost } from "@/app/v1/logs/route";
import { getDb } from "@/lib/platform/db/client";
import { getCheckpointSigner } from "@/lib/records/integrity/active-keyring";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { createTestApiKey, setupAppDatabase } from "./support/app-db";
import { asJson, fuzz, jsonText, metadataKey, metadataValue, newLogId, withOwnKeys } from "./support/hostile";
import { call } from "./support/http";
import { ECS_ROOTS } from "./support/ingest-fuzz";

setupAppDatabase("fuzz_round_trip_shippers", { INGEST_RATE_LIMIT_PER_MINUTE: "1000000" });

const RUNS = 300;
const NOW = Date.now();
const RUN_KEY = "fuzz_run";

let db: Db;
let ingestKey: string;
let readKey: string;
let runNumber = 0;

before(async () => {
  db = await getDb();
  ingestKey = await createTestApiKey(db, ["ingest"]);
  readKey = await createTestApiKey(db, ["read"]);
  // Reads go through the search layout, whose tail holds what the runs store.
  await writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 120_000 });
});

type Answered = { log_id: string; metadata?: unknown };

// ECS extras and OTLP attributes become metadata under their own names.
const ECS_ROOTS_AND_RUN_KEY = new Set([...ECS_ROOTS, RUN_KEY]);
const extras = (reserved: ReadonlySet<string>) =>
  fc.dictionary(
    metadataKey.filter((key) => !reserved.has(key)),
    metadataValue,
    { maxKeys: 12 },
  );

describe("fuzz: metadata through the shippers' protocols", () => {
  it(`gives ECS fields that are no log field back as metadata, as sent (POST /_bulk, ${RUNS} runs of 1 to 5 documents)`, async () => {
    await fuzz(
      "POST /_bulk then GET /api/logs (metadata)",
      fc.array(extras(ECS_ROOTS_AND_RUN_KEY), { minLength: 1, maxLength: 5 }),
      async (documents) => {
        const run = `b${runNumber++}`;
        const body = documents
          .map((fields) =>
            [
              { index: { _id: newLogId() } },
              withOwnKeys([
                ...Object.entries(fields),
                ["user.name", "u"],
                ["event.action", "a"],
                ["event.outcome", "success"],
                [RUN_KEY, run],
              ]),
            ]
              .map(jsonText)
              .join("\n"),
          )
          .join("\n");
        const posted = await call(bulkPost, "POST", "/_bulk", {
          key: ingestKey,
          body: `${body}\n`,
          contentType: "application/x-ndjson",
        });
        assert.equal(posted.body?.errors, false, posted.text.slice(0, 500));
        const read = await call(logsGet, "GET", `/api/logs?meta.${RUN_KEY}=${run}&limit=500`, { key: readKey });
        const byId = new Map((read.body.items as Answered[]).map((item) => [item.log_id, item.metadata]));
        (posted.body.items as { index: { _id: string } }[]).forEach((item, index) => {
          assert.deepStrictEqual(
            byId.get(item.index._id),
            asJson({ ...documents[index], [RUN_KEY]: run }),
            `metadata of ${item.index._id}`,
          );
        });
      },
      RUNS,
      { shrink: false },
    );
  });

  it(`gives OTLP attributes that name no log field back as metadata, as sent (POST /v1/logs, ${RUNS} runs of 1 to 5 records)`, async () => {
    const reserved = new Set(["dropped_attributes", RUN_KEY]);
    await fuzz(
      "POST /v1/logs then GET /api/logs (metadata)",
      fc.array(extras(reserved), { minLength: 1, maxLength: 5 }),
      async (records) => {
        const run = `o${runNumber++}`;
        const uids = records.map(() => newLogId());
        const value = (entry: string | number | boolean) =>
          typeof entry === "string"
            ? { stringValue: entry }
            : typeof entry === "number"
              ? { doubleValue: entry }
              : { boolValue: entry };
        const logRecords = records.map((attributes, index) => ({
          timeUnixNano: String(BigInt(NOW - 3_600_000) * 1_000_000n),
          attributes: [
            { key: "user.name", value: { stringValue: "u" } },
            { key: "event.name", value: { stringValue: "a" } },
            { key: "event.outcome", value: { stringValue: "success" } },
            { key: "log.record.uid", value: { stringValue: uids[index] } },
            { key: RUN_KEY, value: { stringValue: run } },
            ...Object.entries(attributes).map(([key, entry]) => ({ key, value: value(entry) })),
          ],
        }));
        const posted = await call(otlpPost, "POST", "/v1/logs", {
          key: ingestKey,
          body: jsonText({ resourceLogs: [{ scopeLogs: [{ logRecords }] }] }),
        });
        assert.deepEqual([posted.status, posted.body], [200, {}], posted.text.slice(0, 500));
        const read = await call(logsGet, "GET", `/api/logs?meta.${RUN_KEY}=${run}&limit=500`, { key: readKey });
        const byId = new Map((read.body.items as Answered[]).map((item) => [item.log_id, item.metadata]));
        uids.forEach((uid, index) =>
          assert.deepStrictEqual(byId.get(uid), asJson({ [RUN_KEY]: run, ...records[index] }), `metadata of ${uid}`),
        );
      },
      RUNS,
      { shrink: false },
    );
  });
});
