import { IdPath } from "@/lib/platform/http/path-params";
import { ApiKeyAnswer, EXAMPLE_API_KEY } from "@/lib/features/openapi/answers/auth";
import { defineRoute, json, parametersOf } from "@/lib/features/openapi/define-route";
import * as route from "./route";

export default defineRoute("/api/keys/{id}", route, {
  DELETE: {
    operationId: "revokeApiKey",
    summary: "Revoke an API key",
    description: "Its requests get 401 from then on.",
    tag: "keys",
    parameters: parametersOf("path", IdPath, { id: "The key's id, or its name." }),
    responses: {
      200: {
        description: "The revoked key.",
        content: json(ApiKeyAnswer, { ...EXAMPLE_API_KEY, revoked_at: "2026-01-31T13:00:00.000Z" }),
      },
    },
    errors: ["not_found"],
  },
});
