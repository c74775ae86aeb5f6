import { encodeCursor } from "@/lib/records/logs/cursor";
import { JSON_TYPES, NDJSON_TYPES } from "@/lib/records/logs/parse-batch";
import { LogInput } from "@/lib/records/logs/schemas";
import {
  EXAMPLE_LOG,
  EXAMPLE_LOG_JSON,
  IngestAnswer,
  LogBatch,
  LogPageAnswer,
} from "@/lib/features/openapi/answers/logs";
import { defineRoute, json, ndjson, type Media } from "@/lib/features/openapi/define-route";
import { LOG_FILTER_PARAMETERS } from "@/lib/features/openapi/log-filter-parameters";
import * as route from "./route";

const EXAMPLE_BATCH = [
  {
    log_id: "billing-7f3a",
    timestamp: "2026-01-31T12:00:00Z",
    ip: "10.0.3.7",
    user: "alice",
    action: "login",
    status: "failed",
    source: "billing-api",
  },
  { user: "bob", action: "export", status: "success", metadata: { rows: 120 } },
];

const NEXT_CURSOR = encodeCursor({ time: EXAMPLE_LOG.time, sequence: EXAMPLE_LOG.sequence, sort: "desc" });

const NDJSON_BATCH: Media = {
  schema: ndjson((line) => LogInput.safeParse(line).success, "One log object per line, as in the JSON array."),
  example: EXAMPLE_BATCH.map((log) => JSON.stringify(log)).join("\n"),
};

export default defineRoute("/api/logs", route, {
  POST: {
    operationId: "ingestLogs",
    summary: "Ingest one log, a JSON array of logs, or NDJSON",
    description:
      "All or nothing: every log is checked before any is stored. Re-sending a batch is safe: a log_id already stored with the same content counts as a duplicate. " +
      "At most INGEST_MAX_BODY_BYTES (1 MiB) and INGEST_MAX_ITEMS (5,000) logs; INGEST_RATE_LIMIT_PER_MINUTE requests per key.",
    tag: "logs",
    body: {
      content: {
        ...Object.fromEntries(JSON_TYPES.map((type) => [type, { schema: LogBatch, example: EXAMPLE_BATCH }])),
        ...Object.fromEntries(NDJSON_TYPES.map((type) => [type, NDJSON_BATCH])),
      },
    },
    responses: {
      201: {
        description: "At least one log was stored.",
        content: json(IngestAnswer, {
          accepted: 2,
          duplicates: 0,
          ids: ["billing-7f3a", "0b6f2d4e-8c1a-4e3b-9f5d-7a2c1e0b3d4f"],
        }),
      },
      200: {
        description: "Every log was already stored.",
        content: json(IngestAnswer, { accepted: 0, duplicates: 2, ids: ["billing-7f3a", "billing-7f3b"] }),
      },
    },
    errors: [
      "validation_failed",
      "invalid_json",
      "conflict",
      "payload_too_large",
      "unsupported_media_type",
      "rate_limited",
    ],
  },
  GET: {
    operationId: "listLogs",
    summary: "One page of the logs a filter matches",
    description: "Newest first unless sort=asc; follow next_cursor for the next page. Every criterion given must hold.",
    tag: "logs",
    parameters: LOG_FILTER_PARAMETERS,
    responses: {
      200: {
        description: "The page.",
        content: json(LogPageAnswer, { items: [EXAMPLE_LOG_JSON], next_cursor: NEXT_CURSOR, prev_cursor: null }),
      },
    },
    errors: ["validation_failed"],
  },
});
