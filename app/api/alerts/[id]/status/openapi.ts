import { z } from "zod";
import { AlertStatusChange } from "@/lib/derived/alerts/lifecycle";
import { ALERT_TRANSITIONS } from "@/lib/derived/alerts/transitions";
import { IdPath } from "@/lib/platform/http/path-params";
import { AlertAnswer, EXAMPLE_ALERT } from "@/lib/features/openapi/answers/alerts";
import { component } from "@/lib/features/openapi/components";
import { defineRoute, json, parametersOf } from "@/lib/features/openapi/define-route";
import { JSON_BODY_ERRORS } from "@/lib/features/openapi/errors";
import * as route from "./route";

export default defineRoute("/api/alerts/{id}/status", route, {
  POST: {
    operationId: "changeAlertStatus",
    summary: "Acknowledge, resolve or reopen an alert",
    description: `Changes allowed: ${Object.entries(ALERT_TRANSITIONS)
      .map(([from, to]) => `${from} → ${to.join(" or ")}`)
      .join("; ")}. The change names who made it, in the alert's history and the audit log.`,
    tag: "alerts",
    parameters: parametersOf("path", IdPath, { id: "The alert's id." }),
    body: {
      content: json(component("AlertStatusChange", AlertStatusChange), {
        status: "acknowledged",
        note: "Known scanner; blocking it.",
      }),
    },
    responses: {
      200: {
        description: "The alert as it now stands.",
        content: json(z.object({ alert: AlertAnswer }), { alert: EXAMPLE_ALERT }),
      },
    },
    errors: [...JSON_BODY_ERRORS, "not_found", "conflict"],
  },
});
