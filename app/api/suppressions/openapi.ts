import { z } from "zod";
import { SuppressionRuleCreate } from "@/lib/derived/alerts/suppression-rules";
import { component } from "@/lib/features/openapi/components";
import { defineRoute, json } from "@/lib/features/openapi/define-route";
import { JSON_BODY_ERRORS } from "@/lib/features/openapi/errors";
import { EXAMPLE_SUPPRESSION_RULE, SuppressionRuleAnswer } from "@/lib/features/openapi/answers/suppressions";
import * as route from "./route";

export default defineRoute("/api/suppressions", route, {
  GET: {
    operationId: "listSuppressionRules",
    summary: "Suppression rules, active ones first",
    description: "Rules not removed, active and expired, newest first within each.",
    tag: "alerts",
    responses: {
      200: {
        description: "The rules.",
        content: json(z.object({ rules: z.array(SuppressionRuleAnswer) }), { rules: [EXAMPLE_SUPPRESSION_RULE] }),
      },
    },
  },
  POST: {
    operationId: "createSuppressionRule",
    summary: "Mute new findings of a type and subject",
    description:
      "From the next checkpoint on, a new finding the rule covers (its type, or any type; its ip in the range; its user; or, for source_silent, its source) is stored as an alert with status suppressed and suppressed_by naming the rule: not counted as open and not sent to the webhook. Alerts already stored keep their status. The rule mutes from its creation until expires_in_days have passed (null: never) or it is removed. The change names who made it, in the audit log.",
    tag: "alerts",
    body: {
      content: json(component("SuppressionRuleCreate", SuppressionRuleCreate), {
        type: "unknown_network",
        ip: "203.0.113.0/24",
        reason: "The partner's office network; expected during the migration.",
        expires_in_days: 7,
      }),
    },
    responses: {
      201: {
        description: "The rule.",
        content: json(z.object({ rule: SuppressionRuleAnswer }), { rule: EXAMPLE_SUPPRESSION_RULE }),
      },
    },
    errors: [...JSON_BODY_ERRORS, "conflict"],
  },
});
