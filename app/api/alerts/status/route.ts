// POST /api/alerts/status – acknowledge, resolve or reopen many alerts at once, named by id or by the list's filter
// (signed-in analysts and admins)
import { AlertBulkChange, alertIdsMatching, changeAlertStatuses } from "@/lib/derived/alerts/lifecycle";
import { getDb } from "@/lib/platform/db/client";
import { actorOf } from "@/lib/features/requests/actor";
import { apiHandler } from "@/lib/features/requests/handler";
import { readJsonBody } from "@/lib/platform/http/json-body";

/** Room for MAX_BULK_ALERTS ids of up to 200 characters and a note. */
export const MAX_BULK_BODY_BYTES = 256 * 1024;

// No API key scope: a change names the person who made it.
export const POST = apiHandler({ role: "analyst" }, async (request, { principal }) => {
  const { ids, filter, status, note } = await readJsonBody(request, AlertBulkChange, { maxBytes: MAX_BULK_BODY_BYTES });
  const db = await getDb();
  const selected = ids ?? (await alertIdsMatching(db, filter!));
  const { changed, refused } = await changeAlertStatuses(db, selected, status, actorOf(principal, request), note);
  return Response.json({ status, changed: changed.map((alert) => alert._id), refused });
});
