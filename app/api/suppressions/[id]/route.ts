// DELETE /api/suppressions/:id – remove a suppression rule; the alerts it muted stay suppressed (signed-in analysts and
// admins)
import { suppressionRuleJson } from "@/lib/derived/alerts/suppression-json";
import { removeSuppressionRule } from "@/lib/derived/alerts/suppression-store";
import { getDb } from "@/lib/platform/db/client";
import { actorOf } from "@/lib/features/requests/actor";
import { apiHandler } from "@/lib/features/requests/handler";
import { IdPath, readPathParams } from "@/lib/platform/http/path-params";

export const DELETE = apiHandler({ role: "analyst" }, async (request, { principal, params }) => {
  const { id } = await readPathParams(params, IdPath);
  const rule = await removeSuppressionRule(await getDb(), id, actorOf(principal, request));
  return Response.json({ rule: suppressionRuleJson(rule) });
});
