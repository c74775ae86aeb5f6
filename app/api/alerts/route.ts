// GET /api/alerts?status&from&to&type&limit – stored alerts, latest window first (every alert when no filter is given)
import { alertJson } from "@/lib/alerts/alert-json";
import { AlertQuery, criteriaOf, listAlerts } from "@/lib/alerts/query";
import { anomalyQueryInput } from "@/lib/anomaly/query";
import { getDb } from "@/lib/db/client";
import { apiHandler } from "@/lib/http/handler";
import { describeIssues, validationError } from "@/lib/http/validation";

export const dynamic = "force-dynamic";

export const GET = apiHandler({ role: "viewer", scope: "read" }, async (request) => {
  const query = AlertQuery.safeParse(anomalyQueryInput(new URL(request.url).searchParams));
  if (!query.success) throw validationError(describeIssues(query.error.issues), "no alerts were read");
  const alerts = await listAlerts(await getDb(), criteriaOf(query.data), query.data.limit);
  return Response.json({ alerts: alerts.map(alertJson) }, { headers: { "Cache-Control": "no-store" } });
});
