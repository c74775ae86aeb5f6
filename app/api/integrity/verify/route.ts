// POST /api/integrity/verify – verify every log and checkpoint now (admins)
import { getDb } from "@/lib/platform/db/client";
import { actorOf } from "@/lib/features/requests/actor";
import { apiHandler } from "@/lib/features/requests/handler";
import { runVerification } from "@/lib/records/integrity/reports";

export const POST = apiHandler({ role: "admin" }, async (request, { principal }) => {
  const report = await runVerification(await getDb(), actorOf(principal, request));
  return Response.json(report);
});
