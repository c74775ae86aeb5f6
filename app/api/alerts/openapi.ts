import { z } from "zod";
import {
  ALERT_GROUPINGS,
  ALERT_PAGE_SIZE,
  ALERT_SORTS,
  ALERT_STATUS_CHOICES,
  AlertListParams,
} from "@/lib/derived/alerts/list-params";
import { ALERT_STATUSES } from "@/lib/derived/alerts/alert-record";
import {
  ANOMALY_QUERY_DESCRIPTIONS,
  AlertAnswer,
  AlertGroupAnswer,
  EXAMPLE_ALERT,
} from "@/lib/features/openapi/answers/alerts";
import { defineRoute, json, parametersOf } from "@/lib/features/openapi/define-route";
import * as route from "./route";

const Counts = z
  .object(Object.fromEntries(ALERT_STATUSES.map((status) => [status, z.int().min(0)])))
  .meta({ description: "Alerts matching the other filters, per status." });

export default defineRoute("/api/alerts", route, {
  GET: {
    operationId: "listAlerts",
    summary: "Stored alerts, filtered, sorted and paged",
    description:
      "By default the open alerts, most severe then latest first, 50 a page. Follow next_cursor (with the same other parameters) for the next page. With group, each item is one subject's alerts and paging counts groups.",
    tag: "alerts",
    parameters: parametersOf("query", AlertListParams, {
      status: `One of ${ALERT_STATUS_CHOICES.join(", ")} (default open).`,
      min_severity: "Only alerts of at least this severity.",
      type: ANOMALY_QUERY_DESCRIPTIONS.type,
      subject: "An IP, a CIDR range such as 203.0.113.0/24 (alerts from an address in it), or a user name (exact).",
      from: "Only alerts whose window ends at or after this time: ISO 8601 with an offset or Z.",
      to: "Only alerts whose window starts at or before this time.",
      sort: `One of ${ALERT_SORTS.join(", ")} (default severity: most severe, then latest last event).`,
      order: "desc (default) or asc.",
      group: `Group by subject: ${ALERT_GROUPINGS.join(" or ")}. An alert with both an IP and a user is under its IP, or its user when grouping by user.`,
      cursor: "next_cursor of the previous page.",
      limit: `Alerts (or groups) a page, at most ${ALERT_PAGE_SIZE.max} (default ${ALERT_PAGE_SIZE.default}).`,
      // An empty parameter counts as absent, as the page's filter form sends them.
    }).map((parameter) => ({ ...parameter, allowEmptyValue: true })),
    responses: {
      200: {
        description:
          "One page of alerts (or of groups), the cursor of the next (null on the last), how many match and the counts per status.",
        content: json(
          z.object({
            alerts: z.array(AlertAnswer).optional(),
            groups: z.array(AlertGroupAnswer).optional(),
            next_cursor: z.string().nullable(),
            total: z.int().min(0),
            counts: Counts,
          }),
          {
            alerts: [EXAMPLE_ALERT],
            next_cursor: null,
            total: 1,
            counts: Object.fromEntries(
              ALERT_STATUSES.map((status) => [status, status === EXAMPLE_ALERT.status ? 1 : 0]),
            ),
          },
        ),
      },
    },
    errors: ["validation_failed"],
  },
});
