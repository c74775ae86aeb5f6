import { z } from "zod";
import { AnomalyRangeParams } from "@/lib/records/anomaly/range-params";
import { ANOMALY_QUERY_DESCRIPTIONS, EXAMPLE_FINDING, FindingAnswer } from "@/lib/features/openapi/answers/alerts";
import { defineRoute, json, parametersOf } from "@/lib/features/openapi/define-route";
import * as route from "./route";

export default defineRoute("/api/anomalies", route, {
  GET: {
    operationId: "findAnomalies",
    summary: "Findings over the stored logs of a time range",
    description:
      "Detection run now over the range (default: the last 24 hours; at most ANOMALIES_MAX_RANGE_DAYS, 31). Silent sources are found only at checkpoints: see GET /api/alerts.",
    tag: "anomalies",
    parameters: parametersOf("query", AnomalyRangeParams, ANOMALY_QUERY_DESCRIPTIONS, {
      from: "2026-01-30T12:00:00Z",
      type: "failure_burst,password_spraying",
    }),
    responses: {
      200: {
        description: "The findings.",
        content: json(z.object({ findings: z.array(FindingAnswer) }), { findings: [EXAMPLE_FINDING] }),
      },
    },
    errors: ["validation_failed"],
  },
});
