import { z } from "zod";
import { IdPath } from "@/lib/platform/http/path-params";
import { EXAMPLE_SUPPRESSION_RULE, SuppressionRuleAnswer } from "@/lib/features/openapi/answers/suppressions";
import { defineRoute, json, parametersOf } from "@/lib/features/openapi/define-route";
import * as route from "./route";

export default defineRoute("/api/suppressions/{id}", route, {
  DELETE: {
    operationId: "removeSuppressionRule",
    summary: "Remove a suppression rule",
    description:
      "New findings it covered raise open alerts again from the next checkpoint on; the alerts it muted stay suppressed. Audited.",
    tag: "alerts",
    parameters: parametersOf("path", IdPath, { id: "The rule's id." }),
    responses: {
      200: {
        description: "The removed rule.",
        content: json(z.object({ rule: SuppressionRuleAnswer }), {
          rule: {
            ...EXAMPLE_SUPPRESSION_RULE,
            status: "removed",
            removed_at: "2026-12-08T09:00:00.000Z",
            removed_by: "ana@example.com",
          },
        }),
      },
    },
    errors: ["not_found"],
  },
});
