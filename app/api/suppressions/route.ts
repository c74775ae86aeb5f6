// GET /api/suppressions – suppression rules, active and expired (removed ones are not listed)
// POST /api/suppressions – create a rule muting new findings of a type and subject (signed-in analysts and admins)
import { suppressionRuleJson } from "@/lib/alerts/suppression-json";
import { SuppressionRuleCreate } from "@/lib/alerts/suppression-rules";
import { createSuppressionRule, listSuppressionRules } from "@/lib/alerts/suppression-store";
import { getDb } from "@/lib/db/client";
import { actorOf } from "@/lib/http/actor";
import { apiHandler } from "@/lib/http/handler";
import { readJsonBody } from "@/lib/http/json-body";

export const dynamic = "force-dynamic";

export const GET = apiHandler({ role: "viewer", scope: "read" }, async () => {
  const now = new Date();
  const rules = await listSuppressionRules(await getDb(), now);
  return Response.json({ rules: rules.map((rule) => suppressionRuleJson(rule, now)) }, { headers: { "Cache-Control": "no-store" } });
});

// No API key scope: a rule names the person who made it, as alert status changes do.
export const POST = apiHandler({ role: "analyst" }, async (request, { principal }) => {
  const input = await readJsonBody(request, SuppressionRuleCreate);
  const rule = await createSuppressionRule(await getDb(), input, actorOf(principal, request));
  return Response.json({ rule: suppressionRuleJson(rule) }, { status: 201, headers: { "Cache-Control": "no-store" } });
});
