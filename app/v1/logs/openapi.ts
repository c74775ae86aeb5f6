import { z } from "zod";
import { defineRoute, type Media } from "@/lib/features/openapi/define-route";
import {
  EXAMPLE_OTLP_REQUEST,
  OTLP_ERRORS,
  OtlpExportRequest,
  OtlpExportResponse,
} from "@/lib/features/openapi/answers/otlp";
import { OTLP_ENCODINGS, type OtlpEncoding } from "@/lib/features/otlp/read-request";
import * as route from "./route";

const inEachEncoding = (json: Media) => {
  const media: Record<OtlpEncoding, Media> = { json, protobuf: { schema: z.file() } };
  return Object.fromEntries(Object.entries(OTLP_ENCODINGS).map(([type, encoding]) => [type, media[encoding]]));
};

export default defineRoute("/v1/logs", route, {
  POST: {
    operationId: "exportOtlpLogs",
    summary: "OTLP/HTTP export of logs, in JSON or binary protobuf",
    description:
      "For OpenTelemetry Collectors and SDKs (docs/shippers.md has the mapping from a log record to a log). Each record stands alone: valid records are stored " +
      "even when others are rejected, and a re-sent batch stores nothing twice. Answers, errors included, come in the request's encoding.",
    tag: "logs",
    body: { content: inEachEncoding({ schema: OtlpExportRequest, example: EXAMPLE_OTLP_REQUEST }) },
    responses: {
      200: {
        description: "Every record stored (or already there), or some rejected (partialSuccess).",
        content: inEachEncoding({
          schema: OtlpExportResponse,
          examples: {
            stored: { summary: "every record stored", value: {} },
            partial: {
              summary: "some records rejected",
              value: {
                partialSuccess: {
                  rejectedLogRecords: 1,
                  errorMessage: `1 of 2 log records rejected: resourceLogs[0].scopeLogs[0].logRecords[1] attributes["event.outcome"]: must be 'success' or 'failed' ('failure' and 'fail' mean failed).`,
                },
              },
            },
          },
        }),
      },
    },
    errors: ["validation_failed", "invalid_json", "payload_too_large", "unsupported_media_type", "rate_limited"],
    errorFormat: OTLP_ERRORS,
  },
});
