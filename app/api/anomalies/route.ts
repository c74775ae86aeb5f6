// GET /api/anomalies?from&to&type – findings over the stored logs of a time range (default: the last 24 hours; at most ANOMALIES_MAX_RANGE_DAYS)
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { findAnomalies } from "@/lib/alerts/find-anomalies";
import { AnomalyQuery, anomalyQueryInput, resolveAnomalyRange } from "@/lib/anomaly/query";
import { ApiError } from "@/lib/http/errors";
import { apiHandler } from "@/lib/http/handler";
import { describeIssues } from "@/lib/http/validation";

export const dynamic = "force-dynamic";

export const GET = apiHandler({ role: "viewer", scope: "read" }, async (request) => {
  const query = AnomalyQuery.safeParse(anomalyQueryInput(new URL(request.url).searchParams));
  if (!query.success) {
    throw new ApiError("validation_failed", "The query parameters are not valid.", describeIssues(query.error.issues));
  }
  const findings = await findAnomalies(await getDb(), resolveAnomalyRange(query.data), getConfig().anomaly);
  return Response.json({ findings }, { headers: { "Cache-Control": "no-store" } });
});
