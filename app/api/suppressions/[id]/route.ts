// DELETE /api/suppressions/:id – remove a suppression rule; the alerts it muted stay suppressed (signed-in analysts and admins)
import { suppressionRuleJson } from "@/lib/alerts/suppression-json";
import { removeSuppressionRule } from "@/lib/alerts/suppression-store";
import { getDb } from "@/lib/db/client";
import { actorOf } from "@/lib/http/actor";
import { apiHandler } from "@/lib/http/handler";
import { IdPath, readPathParams } from "@/lib/http/path-params";

export const dynamic = "force-dynamic";

export const DELETE = apiHandler({ role: "analyst" }, async (request, { principal, params }) => {
  const { id } = await readPathParams(params, IdPath);
  const rule = await removeSuppressionRule(await getDb(), id, actorOf(principal, request));
  return Response.json({ rule: suppressionRuleJson(rule) }, { headers: { "Cache-Control": "no-store" } });
});
