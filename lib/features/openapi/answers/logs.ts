// Logs in the document: what ingestion takes and answers, a log as the read
// API shows it, and one example log rendered by the same code as real answers.
import { z } from "zod";
import type { IngestResult } from "@/lib/records/logs/ingest";
import { logJson, type LogJson } from "@/lib/records/logs/log-json";
import { timeDimensions, type StoredLog } from "@/lib/records/logs/record";
import { LogInput } from "@/lib/records/logs/schemas";
import { SKIP_REASONS, type SyslogText } from "@/lib/records/syslog/parse-lines";
import { component } from "@/lib/features/openapi/components";
import { answerSchema, WireDate } from "@/lib/features/openapi/wire";

export const LogInputSchema = component("LogInput", LogInput);

export const LogBatch = component(
  "LogBatch",
  z
    .union([LogInputSchema, z.array(LogInputSchema)])
    .meta({ description: "One log, or an array of up to INGEST_MAX_ITEMS (5,000) logs." }),
);

export const IngestAnswer = component(
  "IngestResult",
  answerSchema<IngestResult>()(
    z.object({
      accepted: z.int().min(0).meta({ description: "Logs stored by this request." }),
      duplicates: z.int().min(0).meta({ description: "Logs already stored with the same log_id and content." }),
      ids: z.array(z.string()).meta({ description: "The log_id of every log of the request, in its order." }),
    }),
  ),
);

export const SyslogIngestAnswer = component(
  "SyslogIngestResult",
  answerSchema<IngestResult & Pick<SyslogText, "skipped">>()(
    IngestAnswer.extend({
      skipped: z
        .record(z.enum(SKIP_REASONS), z.int().min(0))
        .meta({ description: "Lines that hold no sign-in attempt, by reason." }),
    }),
  ),
);

export const LogAnswer = component(
  "Log",
  answerSchema<LogJson>()(
    z.object({
      log_id: z.string(),
      timestamp: z.string().meta({ description: "As sent (or the receive time when none was)." }),
      received_at: WireDate,
      ip: z.string().optional(),
      user: z.string(),
      action: z.string(),
      status: z.enum(["success", "failed"]),
      source: z.string().optional(),
      message: z.string().optional(),
      metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
      ingested_by: z
        .string()
        .optional()
        .meta({ description: "Who stored the log: key:<API key id>, ledgerline, import:<email>, cli:<command>." }),
      sequence: z.int().min(1),
      key_id: z.string().meta({ description: "The HMAC key that signed the log." }),
      mac: z.string().meta({ description: "HMAC-SHA256 (hex) over the log's canonical encoding." }),
    }),
  ),
);

const PageCursor = z.string().nullable();

export const LogPageAnswer = component(
  "LogPage",
  z.object({
    items: z.array(LogAnswer),
    next_cursor: PageCursor.meta({ description: "The `cursor` of the next page; null on the last." }),
    prev_cursor: PageCursor.meta({ description: "The `before` of the page before; null on the first." }),
  }),
);

const TIME = new Date("2026-01-31T12:00:00Z");

/** One stored log, for the examples of every answer that shows logs. */
export const EXAMPLE_LOG: StoredLog = {
  _id: "billing-7f3a",
  timestamp: "2026-01-31T12:00:00Z",
  time: TIME,
  received_at: new Date("2026-01-31T12:00:00.412Z"),
  ip: "10.0.3.7",
  user: "alice",
  action: "login",
  status: "failed",
  source: "billing-api",
  metadata: { method: "password" },
  ingested_by: "key:3f9c0a7e5b1d2c4f",
  sequence: 1042,
  key_id: "k2026",
  mac: "5d1c0f3c8a2b7e91d4f6a0b3c5e7d9f1a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d1",
  ...timeDimensions(TIME),
};

export const EXAMPLE_LOG_JSON: z.input<typeof LogAnswer> = JSON.parse(JSON.stringify(logJson(EXAMPLE_LOG)));
