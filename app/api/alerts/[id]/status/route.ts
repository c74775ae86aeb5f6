// POST /api/alerts/:id/status – acknowledge, resolve or reopen an alert (signed-in analysts and admins)
import { alertJson } from "@/lib/derived/alerts/alert-json";
import { AlertStatusChange, changeAlertStatus } from "@/lib/derived/alerts/lifecycle";
import { getDb } from "@/lib/platform/db/client";
import { actorOf } from "@/lib/features/requests/actor";
import { apiHandler } from "@/lib/features/requests/handler";
import { readJsonBody } from "@/lib/platform/http/json-body";
import { IdPath, readPathParams } from "@/lib/platform/http/path-params";

// No API key scope: a change names the person who made it.
export const POST = apiHandler({ role: "analyst" }, async (request, { principal, params }) => {
  const { id } = await readPathParams(params, IdPath);
  const { status, note } = await readJsonBody(request, AlertStatusChange);
  const alert = await changeAlertStatus(await getDb(), id, status, actorOf(principal, request), note);
  return Response.json({ alert: alertJson(alert) });
});
