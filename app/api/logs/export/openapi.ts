import { z } from "zod";
import { EXPORT_CONTENT_TYPES } from "@/lib/features/explorer/export-stream";
import { EXPORT_VERSION, logLine, parseExportLine, type ExportLine } from "@/lib/records/integrity/export-format";
import { CSV_BOM, csvHeaderLine, csvRowLines } from "@/lib/records/logs/csv";
import type { ExportFormat } from "@/lib/records/logs/filters";
import { EXAMPLE_LOG } from "@/lib/features/openapi/answers/logs";
import { EXAMPLE_CHECKPOINT, EXAMPLE_PUBLIC_KEY } from "@/lib/features/openapi/answers/integrity";
import { defineRoute, ndjson, type Media } from "@/lib/features/openapi/define-route";
import { LOG_FILTER_PARAMETERS } from "@/lib/features/openapi/log-filter-parameters";
import * as route from "./route";

const NDJSON_EXAMPLE: ExportLine[] = [
  {
    type: "export",
    version: EXPORT_VERSION,
    created_at: "2026-01-31T12:06:00.000Z",
    filter: "user=alice",
    max_future_skew_seconds: 300,
    first_checkpoint: EXAMPLE_CHECKPOINT.number,
    last_checkpoint: EXAMPLE_CHECKPOINT.number,
  },
  { type: "key", ...EXAMPLE_PUBLIC_KEY },
  { type: "checkpoint", ...EXAMPLE_CHECKPOINT, created_at: new Date(EXAMPLE_CHECKPOINT.created_at) },
  logLine(EXAMPLE_LOG),
];

const FORMATS: Record<ExportFormat, Media> = {
  csv: {
    schema: z.string().meta({ description: "A UTF-8 BOM, a header line, one line per log." }),
    example: CSV_BOM + csvHeaderLine() + csvRowLines([EXAMPLE_LOG]),
  },
  xlsx: { schema: z.file().mime(EXPORT_CONTENT_TYPES.xlsx) },
  ndjson: {
    schema: ndjson(
      (line) => "line" in parseExportLine(JSON.stringify(line)),
      "The verifiable export: a header, the checkpoint keys, then each checkpoint followed by its range's logs (or the summaries of logs the filter leaves out).",
    ),
    example: NDJSON_EXAMPLE.map((line) => `${JSON.stringify(line)}\n`).join(""),
  },
};

export default defineRoute("/api/logs/export", route, {
  GET: {
    operationId: "exportLogs",
    summary: "The logs a filter matches as CSV, XLSX or verifiable NDJSON, streamed",
    description:
      "Takes the parameters of GET /api/logs (format chooses the file; paging ones do not apply). `npm run verify -- --file FILE` checks an NDJSON export offline.",
    tag: "logs",
    parameters: LOG_FILTER_PARAMETERS,
    responses: {
      200: {
        description: "The file, as an attachment.",
        headers: {
          "Content-Disposition": { description: 'attachment; filename="ledgerline-logs-….csv"', schema: z.string() },
        },
        content: Object.fromEntries(
          Object.entries(FORMATS).map(([format, media]) => [
            EXPORT_CONTENT_TYPES[format as ExportFormat].split(";")[0]!,
            media,
          ]),
        ),
      },
    },
    errors: ["validation_failed"],
  },
});
