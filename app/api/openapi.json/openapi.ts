import { z } from "zod";
import { defineRoute, json } from "@/lib/features/openapi/define-route";
import * as route from "./route";

const Document = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
});

export default defineRoute("/api/openapi.json", route, {
  GET: {
    operationId: "getOpenApiDocument",
    summary: "This document",
    description:
      "Generated from the schemas the routes parse their inputs with. Feed it to a client generator or an API explorer (docs/api.md).",
    tag: "meta",
    responses: {
      200: {
        description: "The OpenAPI 3.1 document.",
        content: json(Document, { openapi: "3.1.0", info: { title: "Ledgerline API", version: "0.1.0" }, paths: {} }),
      },
    },
  },
});
