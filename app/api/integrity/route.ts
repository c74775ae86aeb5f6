// GET /api/integrity – the latest verification report (signed-in users, read-scoped keys)
import { getDb } from "@/lib/platform/db/client";
import { ApiError } from "@/lib/platform/http/errors";
import { apiHandler } from "@/lib/features/requests/handler";
import { latestVerifyReport } from "@/lib/records/integrity/reports";

export const GET = apiHandler({ role: "viewer", scope: "read" }, async () => {
  const report = await latestVerifyReport(await getDb());
  if (!report) throw new ApiError("not_found", "No verification has run yet.");
  const { _id, ...rest } = report;
  return Response.json({ id: _id, ...rest });
});
