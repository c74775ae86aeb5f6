import { licenseAnswer } from "@/lib/features/elasticsearch/probes";
import { ProbeAnswer } from "@/lib/features/openapi/answers/elasticsearch";
import { defineRoute, json } from "@/lib/features/openapi/define-route";
import * as route from "./route";

export default defineRoute("/_license", route, {
  GET: {
    operationId: "elasticsearchLicense",
    summary: "The licence a shipper checks",
    tag: "logs",
    responses: {
      200: {
        description: "What Elasticsearch answers, as far as shippers read it.",
        content: json(ProbeAnswer, licenseAnswer()),
      },
    },
  },
});
