// POST /api/users/:id/disable – disable a user and end their sessions (admins)
import { disableUser, getUserById } from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";
import { actorOf } from "@/lib/http/actor";
import { ApiError } from "@/lib/http/errors";
import { apiHandler } from "@/lib/http/handler";
import { IdPath, readPathParams } from "@/lib/http/path-params";

export const dynamic = "force-dynamic";

export const POST = apiHandler({ role: "admin" }, async (request, { principal, params }) => {
  const { id } = await readPathParams(params, IdPath);
  const db = await getDb();
  const user = await getUserById(db, id);
  if (!user) throw new ApiError("not_found", "No user has this id.");
  if (principal.kind === "user" && principal.user.id === user.id) {
    throw new ApiError("validation_failed", "You cannot disable your own account.");
  }
  const disabled = await disableUser(db, user.email, actorOf(principal, request));
  return Response.json(disabled, { headers: { "Cache-Control": "no-store" } });
});
