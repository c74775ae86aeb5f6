import { IdPath } from "@/lib/platform/http/path-params";
import { EXAMPLE_USER, UserAnswer } from "@/lib/features/openapi/answers/auth";
import { defineRoute, json, parametersOf } from "@/lib/features/openapi/define-route";
import * as route from "./route";

export default defineRoute("/api/users/{id}/disable", route, {
  POST: {
    operationId: "disableUser",
    summary: "Disable a user and end their sessions",
    tag: "users",
    parameters: parametersOf("path", IdPath, { id: "The user's id." }),
    responses: {
      200: {
        description: "The disabled user.",
        content: json(UserAnswer, { ...EXAMPLE_USER, disabled_at: "2026-01-31T13:00:00.000Z" }),
      },
    },
    errors: ["not_found", "validation_failed"],
  },
});
