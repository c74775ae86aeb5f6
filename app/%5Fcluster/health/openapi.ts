import { clusterHealthAnswer } from "@/lib/features/elasticsearch/probes";
import { ProbeAnswer } from "@/lib/features/openapi/answers/elasticsearch";
import { defineRoute, json } from "@/lib/features/openapi/define-route";
import * as route from "./route";

export default defineRoute("/_cluster/health", route, {
  GET: {
    operationId: "elasticsearchClusterHealth",
    summary: "Cluster health, always green",
    tag: "logs",
    responses: {
      200: {
        description: "What Elasticsearch answers, as far as shippers read it.",
        content: json(ProbeAnswer, clusterHealthAnswer()),
      },
    },
  },
});
