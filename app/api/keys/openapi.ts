import { z } from "zod";
import { ApiKeyCreateBody } from "@/lib/records/auth/api-key-schemas";
import { ApiKeyAnswer, EXAMPLE_API_KEY, NewApiKeyAnswer } from "@/lib/features/openapi/answers/auth";
import { component } from "@/lib/features/openapi/components";
import { defineRoute, json } from "@/lib/features/openapi/define-route";
import { JSON_BODY_ERRORS } from "@/lib/features/openapi/errors";
import * as route from "./route";

const { name, scopes, sources, id_prefixes } = EXAMPLE_API_KEY;

export default defineRoute("/api/keys", route, {
  GET: {
    operationId: "listApiKeys",
    summary: "Every API key, revoked ones included",
    tag: "keys",
    responses: {
      200: {
        description: "The keys, without their secrets.",
        content: json(z.object({ items: z.array(ApiKeyAnswer) }), { items: [EXAMPLE_API_KEY] }),
      },
    },
  },
  POST: {
    operationId: "createApiKey",
    summary: "Create an API key, returned once",
    description: "Bind each service's key to its sources and log_id prefixes so that no key can speak for another.",
    tag: "keys",
    body: { content: json(component("ApiKeyCreate", ApiKeyCreateBody), { name, scopes, sources, id_prefixes }) },
    responses: {
      201: {
        description: "The key; `key` is not shown again.",
        content: json(NewApiKeyAnswer, {
          ...EXAMPLE_API_KEY,
          last_used_at: null,
          key: "llk_3f9c0a7e5b1d2c4f_Vq3ZPpQ0mJk1c9a2XbT7uY4sR8eN6wH5gL0dF3jK2oA",
        }),
      },
    },
    errors: [...JSON_BODY_ERRORS, "conflict"],
  },
});
