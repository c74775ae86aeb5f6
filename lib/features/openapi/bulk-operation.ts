// The one bulk operation both routes serve (POST /_bulk, POST /{index}/_bulk).
import { z } from "zod";
import { BULK_TYPES } from "@/lib/features/elasticsearch/bulk-body";
import { BULK_PARAMETERS, BulkPathParams, BulkSearchParams } from "@/lib/features/elasticsearch/bulk-request";
import { BulkAnswerSchema } from "./answers/elasticsearch";
import { json, ndjson, parametersOf, type Operation, type Parameter } from "./define-route";

const BODY = [
  '{"create":{"_id":"evt-1"}}',
  '{"@timestamp":"2026-01-31T12:00:00Z","source":{"ip":"203.0.113.9"},"user":{"name":"alice"},"event":{"action":"ssh_login","outcome":"failure"},"service":{"name":"web-1"}}',
  '{"index":{}}',
  '{"@timestamp":"2026-01-31T12:00:05Z","message":"Jan 31 12:00:05 web-1 sshd[4121]: Accepted password for alice from 203.0.113.9 port 52144 ssh2"}',
  "",
].join("\n");

const isObject = (value: unknown) => typeof value === "object" && value !== null && !Array.isArray(value);
const BulkBody = ndjson(
  isObject,
  "Action and document lines (index or create): an ECS document, or one whose message is a raw syslog line (docs/shippers.md).",
);

const ignored = Object.fromEntries(
  BULK_PARAMETERS.map((name) => [name, "Accepted and ignored, as every answer is whole."]),
) as Record<(typeof BULK_PARAMETERS)[number], string>;

export function bulkOperation(withIndex: boolean): Operation {
  const parameters: Parameter[] = [
    ...(withIndex
      ? parametersOf(
          "path",
          z.object({ index: BulkPathParams.shape.index.unwrap() }),
          { index: "The default index of the items; kept as _index in the answer." },
          { index: "auth-logs" },
        )
      : []),
    ...parametersOf("query", BulkSearchParams, ignored),
  ];
  return {
    operationId: withIndex ? "bulkIngestIntoIndex" : "bulkIngest",
    summary: "Elasticsearch-compatible bulk ingestion, for log shippers",
    description:
      "Each item is answered on its own, as Elasticsearch does; a re-sent batch stores nothing twice (docs/shippers.md has the ECS mapping).",
    tag: "logs",
    parameters,
    body: { content: Object.fromEntries(BULK_TYPES.map((type) => [type, { schema: BulkBody, example: BODY }])) },
    responses: {
      200: {
        description: "Every item's result.",
        content: json(BulkAnswerSchema, {
          took: 12,
          errors: false,
          items: [
            { create: { _id: "evt-1", status: 201, result: "created" } },
            { index: { _id: "es-3f1d2c", status: 201, result: "created" } },
          ],
        }),
      },
    },
    errors: ["validation_failed", "invalid_json", "payload_too_large", "unsupported_media_type", "rate_limited"],
  };
}
