// POST /api/alerts/:id/status – acknowledge, resolve or reopen an alert (signed-in analysts and admins)
import { alertJson } from "@/lib/alerts/alert-json";
import { AlertStatusChange, changeAlertStatus } from "@/lib/alerts/lifecycle";
import { getDb } from "@/lib/db/client";
import { actorOf } from "@/lib/http/actor";
import { apiHandler } from "@/lib/http/handler";
import { readJsonBody } from "@/lib/http/json-body";
import { IdPath, readPathParams } from "@/lib/http/path-params";

export const dynamic = "force-dynamic";

// No API key scope: a change names the person who made it.
export const POST = apiHandler({ role: "analyst" }, async (request, { principal, params }) => {
  const { id } = await readPathParams(params, IdPath);
  const { status, note } = await readJsonBody(request, AlertStatusChange);
  const alert = await changeAlertStatus(await getDb(), id, status, actorOf(principal, request), note);
  return Response.json({ alert: alertJson(alert) }, { headers: { "Cache-Control": "no-store" } });
});
