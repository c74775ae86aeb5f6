// POST /api/users/:id/disable – disable a user and end their sessions (admins)
import { disableUser, getUserById } from "@/lib/records/auth/users";
import { getDb } from "@/lib/platform/db/client";
import { actorOf } from "@/lib/features/requests/actor";
import { ApiError } from "@/lib/platform/http/errors";
import { apiHandler } from "@/lib/features/requests/handler";
import { IdPath, readPathParams } from "@/lib/platform/http/path-params";

export const POST = apiHandler({ role: "admin" }, async (request, { principal, params }) => {
  const { id } = await readPathParams(params, IdPath);
  const db = await getDb();
  const user = await getUserById(db, id);
  if (!user) throw new ApiError("not_found", "No user has this id.");
  if (principal.kind === "user" && principal.user.id === user.id) {
    throw new ApiError("validation_failed", "You cannot disable your own account.");
  }
  const disabled = await disableUser(db, user.email, actorOf(principal, request));
  return Response.json(disabled);
});
