import { z } from "zod";
import { ProbeAnswer } from "@/lib/features/openapi/answers/elasticsearch";
import { defineRoute, json } from "@/lib/features/openapi/define-route";
import * as route from "./route";

const name = [
  {
    in: "path" as const,
    name: "name",
    description: "The template a shipper looks up or installs; none is kept.",
    schema: z.string(),
    required: true,
  },
];

export default defineRoute("/_index_template/{name}", route, {
  GET: {
    operationId: "elasticsearchGetIndexTemplate",
    summary: "No index template exists: a shipper then offers one",
    tag: "logs",
    parameters: name,
    responses: { 404: { description: "No such template.", content: json(ProbeAnswer, { index_templates: [] }) } },
  },
  PUT: {
    operationId: "elasticsearchPutIndexTemplate",
    summary: "A shipper's index template, acknowledged and not kept",
    tag: "logs",
    parameters: name,
    responses: { 200: { description: "Acknowledged.", content: json(ProbeAnswer, { acknowledged: true }) } },
  },
});
