import { z } from "zod";
import type { DetectionEvent } from "@/lib/derived/alerts/detection-events";
import { AnomalyRangeParams } from "@/lib/records/anomaly/range-params";
import { ANOMALY_QUERY_DESCRIPTIONS, EXAMPLE_FINDING, FindingAnswer } from "@/lib/features/openapi/answers/alerts";
import { defineRoute, ndjson, parametersOf } from "@/lib/features/openapi/define-route";
import { answerSchema, WireDate, type Wire } from "@/lib/features/openapi/wire";
import * as route from "./route";

const EventLine = answerSchema<DetectionEvent>()(
  z.discriminatedUnion("event", [
    z.object({ event: z.literal("started"), from: WireDate, to: WireDate }),
    z.object({
      event: z.literal("progress"),
      analysed: z.int().min(0),
      through: WireDate,
      fraction: z.number().min(0).max(1),
    }),
    z.object({ event: z.literal("finding"), finding: FindingAnswer }),
    z.object({
      event: z.literal("done"),
      findings: z.int().min(0),
      analysed: z.int().min(0),
      baseline_logs: z.int().min(0),
    }),
    z.object({ event: z.literal("failed"), message: z.string() }),
  ]),
);

const EXAMPLE: Wire<DetectionEvent>[] = [
  { event: "started", from: "2026-01-30T12:00:00.000Z", to: "2026-01-31T12:00:00.000Z" },
  { event: "progress", analysed: 1000, through: "2026-01-31T11:52:10.000Z", fraction: 0.99 },
  { event: "finding", finding: EXAMPLE_FINDING },
  { event: "done", findings: 1, analysed: 1042, baseline_logs: 18_230 },
];

export default defineRoute("/api/anomalies/stream", route, {
  GET: {
    operationId: "streamAnomalies",
    summary: "Findings over the stored logs of a time range, streamed with progress",
    description:
      "The detection of GET /api/anomalies as NDJSON, one event per line: `started`, then `progress` (logs analysed, the time reached and the fraction of the range) every thousand logs and each `finding` as it closes, then `done` with the totals, or `failed` when the read stopped midway.",
    tag: "anomalies",
    parameters: parametersOf("query", AnomalyRangeParams, ANOMALY_QUERY_DESCRIPTIONS, {
      from: "2026-01-30T12:00:00Z",
      type: "failure_burst,password_spraying",
    }),
    responses: {
      200: {
        description: "The events, as they happen.",
        content: {
          "application/x-ndjson": {
            schema: ndjson((line) => EventLine.safeParse(line).success, "One detection event per line."),
            example: EXAMPLE.map((line) => `${JSON.stringify(line)}\n`).join(""),
          },
        },
      },
    },
    errors: ["validation_failed"],
  },
});
