import { z } from "zod";
import { catHealthText } from "@/lib/features/elasticsearch/probes";
import { defineRoute } from "@/lib/features/openapi/define-route";
import * as route from "./route";

export default defineRoute("/_cat/health", route, {
  GET: {
    operationId: "elasticsearchCatHealth",
    summary: "Cluster health as text, the probe rsyslog sends after a failed delivery",
    tag: "logs",
    responses: {
      200: {
        description: "One line, always green.",
        content: { "text/plain": { schema: z.string(), example: catHealthText(new Date("2026-01-31T12:00:00Z")) } },
      },
    },
  },
});
