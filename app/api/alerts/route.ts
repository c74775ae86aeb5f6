// GET /api/alerts?status&min_severity&type&subject&from&to&sort&order&group&cursor&limit – stored alerts, filtered,
// sorted and paged (or grouped by subject), with counts per status
import { alertGroupJson, alertJson } from "@/lib/derived/alerts/alert-json";
import { parseAlertListParams } from "@/lib/derived/alerts/list-params";
import { findAlerts, listAlerts } from "@/lib/derived/alerts/list-alerts";
import { getDb } from "@/lib/platform/db/client";
import { apiHandler } from "@/lib/features/requests/handler";
import { validationError } from "@/lib/platform/http/validation";

export const GET = apiHandler({ role: "viewer", scope: "read" }, async (request) => {
  const parsed = parseAlertListParams(new URL(request.url).searchParams);
  if ("problems" in parsed) throw validationError(parsed.problems, "no alerts were read");
  const db = await getDb();
  const list = await listAlerts(db, parsed.query);
  const page = list.groups
    ? { groups: list.groups.map(alertGroupJson) }
    : {
        alerts: (
          await findAlerts(
            db,
            list.rows.map((row) => row.id),
          )
        ).map(alertJson),
      };
  return Response.json({ ...page, next_cursor: list.next_cursor, total: list.total, counts: list.counts });
});
