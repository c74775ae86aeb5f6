// GET /api/anomalies?from&to&type – findings over the stored logs of a time range (default: the last 24 hours; at most
// ANOMALIES_MAX_RANGE_DAYS)
import { getConfig } from "@/lib/foundation/config";
import { getDb } from "@/lib/platform/db/client";
import { findAnomalies } from "@/lib/derived/alerts/find-anomalies";
import { AnomalyRangeParams, anomalyRangeInput, resolveAnomalyRange } from "@/lib/records/anomaly/range-params";
import { ApiError } from "@/lib/platform/http/errors";
import { apiHandler } from "@/lib/features/requests/handler";
import { detectionLimit } from "@/lib/features/requests/read-limits";
import { describeIssues } from "@/lib/platform/http/validation";

export const GET = apiHandler({ role: "viewer", scope: "read" }, async (request) => {
  const query = AnomalyRangeParams.safeParse(anomalyRangeInput(new URL(request.url).searchParams));
  if (!query.success) {
    throw new ApiError("validation_failed", "The query parameters are not valid.", describeIssues(query.error.issues));
  }
  const db = await getDb();
  const range = resolveAnomalyRange(query.data);
  const findings = await detectionLimit().run(() => findAnomalies(db, range, getConfig().anomaly));
  return Response.json({ findings });
});
