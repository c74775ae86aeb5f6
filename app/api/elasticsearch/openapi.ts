import { ElasticsearchRoot } from "@/lib/features/openapi/answers/elasticsearch";
import { defineRoute, json } from "@/lib/features/openapi/define-route";
import { rootAnswer } from "@/lib/features/elasticsearch/probes";
import * as route from "./route";

export default defineRoute("/api/elasticsearch", route, {
  GET: {
    operationId: "elasticsearchRoot",
    summary: "The version a log shipper expects at an Elasticsearch root",
    description: "GET / from a client that does not ask for HTML is answered here (a browser gets the app).",
    tag: "logs",
    responses: {
      200: { description: "The Elasticsearch-style root answer.", content: json(ElasticsearchRoot, rootAnswer()) },
    },
  },
});
