// DELETE /api/keys/:id – revoke an API key (admins)
import { revokeApiKey } from "@/lib/auth/api-keys";
import { getDb } from "@/lib/db/client";
import { actorOf } from "@/lib/http/actor";
import { ApiError } from "@/lib/http/errors";
import { apiHandler } from "@/lib/http/handler";
import { IdPath, readPathParams } from "@/lib/http/path-params";

export const dynamic = "force-dynamic";

export const DELETE = apiHandler({ role: "admin" }, async (request, { principal, params }) => {
  const { id } = await readPathParams(params, IdPath);
  const revoked = await revokeApiKey(await getDb(), id, actorOf(principal, request));
  if (!revoked) throw new ApiError("not_found", "No API key has this id.");
  return Response.json(revoked, { headers: { "Cache-Control": "no-store" } });
});
