import { z } from "zod";
import { AlertBulkChange, MAX_BULK_ALERTS } from "@/lib/derived/alerts/lifecycle";
import { ALERT_STATUSES } from "@/lib/derived/alerts/alert-record";
import { ALERT_TRANSITIONS } from "@/lib/derived/alerts/transitions";
import { component } from "@/lib/features/openapi/components";
import { defineRoute, json } from "@/lib/features/openapi/define-route";
import { JSON_BODY_ERRORS } from "@/lib/features/openapi/errors";
import * as route from "./route";

export default defineRoute("/api/alerts/status", route, {
  POST: {
    operationId: "changeAlertStatuses",
    summary: "Acknowledge, resolve or reopen many alerts",
    description:
      `Names the alerts by ids, or by filter (the filters of GET /api/alerts: status, min_severity, type, subject, from, to), at most ${MAX_BULK_ALERTS} at once (more answers 400 naming the field). ` +
      `Each alert changes as POST /api/alerts/{id}/status would change it, with one history entry and one audit log each. Changes allowed: ${Object.entries(
        ALERT_TRANSITIONS,
      )
        .map(([from, to]) => `${from} → ${to.join(" or ")}`)
        .join("; ")}; ` +
      "alerts that do not allow the change, are unknown, or were changed by someone else at the same moment are listed under refused, with the reason.",
    tag: "alerts",
    body: {
      content: json(component("AlertBulkChange", AlertBulkChange), {
        filter: { status: "open", min_severity: "high", subject: "203.0.113.0/24" },
        status: "acknowledged",
        note: "Scanner range; blocked at the edge.",
      }),
    },
    responses: {
      200: {
        description: "The ids changed and those refused.",
        content: json(
          z.object({
            status: z.enum(ALERT_STATUSES),
            changed: z.array(z.string()),
            refused: z.array(
              z.object({
                id: z.string(),
                code: z.enum(["not_found", "conflict"]),
                message: z.string(),
                status: z.enum(ALERT_STATUSES).optional(),
              }),
            ),
          }),
          {
            status: "acknowledged",
            changed: ["2b0c6e1d-4f7a-9c3e-81d2-5a6b7c8d9e0f"],
            refused: [
              {
                id: "9f1e0c2a-7b6d-4e5f-8a9b-0c1d2e3f4a5b",
                code: "conflict",
                message: "This alert is resolved; it cannot become acknowledged.",
                status: "resolved",
              },
            ],
          },
        ),
      },
    },
    errors: [...JSON_BODY_ERRORS],
  },
});
