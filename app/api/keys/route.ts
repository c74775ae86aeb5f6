// GET /api/keys – list API keys (admins)
// POST /api/keys – create an API key, returned once (admins)
import { ApiKeyCreateBody } from "@/lib/records/auth/api-key-schemas";
import { createApiKey, DuplicateApiKeyNameError, IdPrefixTakenError, listApiKeys } from "@/lib/records/auth/api-keys";
import { getDb } from "@/lib/platform/db/client";
import { actorOf } from "@/lib/features/requests/actor";
import { ApiError } from "@/lib/platform/http/errors";
import { apiHandler } from "@/lib/features/requests/handler";
import { readJsonBody } from "@/lib/platform/http/json-body";

export const GET = apiHandler({ role: "admin" }, async () => {
  return Response.json({ items: await listApiKeys(await getDb()) });
});

export const POST = apiHandler({ role: "admin" }, async (request, { principal }) => {
  const input = await readJsonBody(request, ApiKeyCreateBody);
  try {
    const { summary, key } = await createApiKey(await getDb(), input, actorOf(principal, request));
    return Response.json({ ...summary, key }, { status: 201 });
  } catch (error) {
    if (error instanceof DuplicateApiKeyNameError) throw new ApiError("conflict", error.message);
    if (error instanceof IdPrefixTakenError)
      throw new ApiError("conflict", error.message, [{ field: "id_prefixes", message: error.message }]);
    throw error;
  }
});
