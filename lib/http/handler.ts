// One wrapper for every route handler: authentication with the scope it
// declares (on by default), and conversion of anything thrown into the error
// envelope. A handler says what it needs instead of repeating checks.
import type { ApiKeyScope } from "@/lib/auth/api-key-schemas";
import { authenticateApiKey, type ApiKeySummary } from "@/lib/auth/api-keys";
import { getDb } from "@/lib/db/client";
import { ApiError, errorResponse, toApiError } from "./errors";

export type Principal = { kind: "api_key"; apiKey: ApiKeySummary };

type RouteContext = { params: Promise<Record<string, string | string[]>> };
type HandlerOptions = { scope: ApiKeyScope } | { public: true };
type Handler = (request: Request, context: { principal: Principal | null; params: RouteContext["params"] }) => Promise<Response>;

export function apiHandler(options: HandlerOptions, handler: Handler) {
  return async (request: Request, context: RouteContext): Promise<Response> => {
    try {
      const principal = "public" in options ? null : await authenticate(request, options.scope);
      return await handler(request, { principal, params: context.params });
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError.code === "internal_error") {
        console.error(`ledgerline: ${request.method} ${new URL(request.url).pathname} failed:`, error);
      }
      return errorResponse(apiError);
    }
  };
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;
const CHALLENGE = { "WWW-Authenticate": 'Bearer realm="ledgerline"' };

async function authenticate(request: Request, scope: ApiKeyScope): Promise<Principal> {
  const header = request.headers.get("authorization");
  if (!header) {
    throw new ApiError("unauthorized", "An API key is required: send it as 'Authorization: Bearer <key>'.", undefined, CHALLENGE);
  }
  const token = BEARER.exec(header)?.[1];
  const apiKey = token ? await authenticateApiKey(await getDb(), token) : null;
  if (!apiKey) throw new ApiError("unauthorized", "The API key is invalid or has been revoked.", undefined, CHALLENGE);
  if (!apiKey.scopes.includes(scope)) {
    throw new ApiError("forbidden", `This API key does not have the '${scope}' scope.`);
  }
  return { kind: "api_key", apiKey };
}
