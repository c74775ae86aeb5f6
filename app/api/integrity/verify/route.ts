// POST /api/integrity/verify – verify every log and checkpoint now (admins)
import { getDb } from "@/lib/db/client";
import { actorOf } from "@/lib/http/actor";
import { apiHandler } from "@/lib/http/handler";
import { runVerification } from "@/lib/integrity/reports";

export const dynamic = "force-dynamic";

export const POST = apiHandler({ role: "admin" }, async (request, { principal }) => {
  const report = await runVerification(await getDb(), actorOf(principal, request));
  return Response.json(report, { headers: { "Cache-Control": "no-store" } });
});
