// GET /api/users – list users (admins)
// POST /api/users – create a user with a password (admins)
import { NewUserBody } from "@/lib/records/auth/user-schemas";
import { createUser, DuplicateUserError, listUsers } from "@/lib/records/auth/users";
import { getDb } from "@/lib/platform/db/client";
import { actorOf } from "@/lib/features/requests/actor";
import { ApiError } from "@/lib/platform/http/errors";
import { apiHandler } from "@/lib/features/requests/handler";
import { readJsonBody } from "@/lib/platform/http/json-body";

export const GET = apiHandler({ role: "admin" }, async () => {
  return Response.json({ items: await listUsers(await getDb()) });
});

export const POST = apiHandler({ role: "admin" }, async (request, { principal }) => {
  const { password, ...input } = await readJsonBody(request, NewUserBody);
  try {
    const user = await createUser(await getDb(), input, password, actorOf(principal, request));
    return Response.json(user, { status: 201 });
  } catch (error) {
    if (error instanceof DuplicateUserError) throw new ApiError("conflict", error.message);
    throw error;
  }
});
