// GET /api/suppressions – suppression rules, active and expired (removed ones are not listed)
// POST /api/suppressions – create a rule muting new findings of a type and subject (signed-in analysts and admins)
import { suppressionRuleJson } from "@/lib/derived/alerts/suppression-json";
import { SuppressionRuleCreate } from "@/lib/derived/alerts/suppression-rules";
import { createSuppressionRule, listSuppressionRules } from "@/lib/derived/alerts/suppression-store";
import { getDb } from "@/lib/platform/db/client";
import { actorOf } from "@/lib/features/requests/actor";
import { apiHandler } from "@/lib/features/requests/handler";
import { readJsonBody } from "@/lib/platform/http/json-body";

export const GET = apiHandler({ role: "viewer", scope: "read" }, async () => {
  const now = new Date();
  const rules = await listSuppressionRules(await getDb(), now);
  return Response.json({ rules: rules.map((rule) => suppressionRuleJson(rule, now)) });
});

// No API key scope: a rule names the person who made it, as alert status changes do.
export const POST = apiHandler({ role: "analyst" }, async (request, { principal }) => {
  const input = await readJsonBody(request, SuppressionRuleCreate);
  const rule = await createSuppressionRule(await getDb(), input, actorOf(principal, request));
  return Response.json({ rule: suppressionRuleJson(rule) }, { status: 201 });
});
