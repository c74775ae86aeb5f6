// DELETE /api/keys/:id – revoke an API key (admins)
import { revokeApiKey } from "@/lib/records/auth/api-keys";
import { getDb } from "@/lib/platform/db/client";
import { actorOf } from "@/lib/features/requests/actor";
import { ApiError } from "@/lib/platform/http/errors";
import { apiHandler } from "@/lib/features/requests/handler";
import { IdPath, readPathParams } from "@/lib/platform/http/path-params";

export const DELETE = apiHandler({ role: "admin" }, async (request, { principal, params }) => {
  const { id } = await readPathParams(params, IdPath);
  const revoked = await revokeApiKey(await getDb(), id, actorOf(principal, request));
  if (!revoked) throw new ApiError("not_found", "No API key has this id.");
  return Response.json(revoked);
});
