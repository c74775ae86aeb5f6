import { z } from "zod";
import { ALERT_LIST_LIMIT, AlertQuery } from "@/lib/alerts/query";
import { ANOMALY_QUERY_DESCRIPTIONS, AlertAnswer, EXAMPLE_ALERT } from "@/lib/openapi/answers/alerts";
import { defineRoute, json, parametersOf } from "@/lib/openapi/define-route";
import * as route from "./route";

export default defineRoute("/api/alerts", route, {
  GET: {
    operationId: "listAlerts",
    summary: "Stored alerts, latest window first",
    description: "Every alert when no filter is given; from/to select alerts whose window overlaps the range.",
    tag: "alerts",
    parameters: parametersOf("query", AlertQuery, {
      ...ANOMALY_QUERY_DESCRIPTIONS,
      status: "Only alerts in this state.",
      limit: `At most this many alerts (default ${ALERT_LIST_LIMIT.default}).`,
    }),
    responses: { 200: { description: "The alerts.", content: json(z.object({ alerts: z.array(AlertAnswer) }), { alerts: [EXAMPLE_ALERT] }) } },
    errors: ["validation_failed"],
  },
});
