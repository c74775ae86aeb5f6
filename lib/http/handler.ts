// One wrapper for every route handler. Each handler declares who may call it
// (auth is on unless it says `public`), and the wrapper authenticates,
// authorises, guards cookie-authenticated writes against CSRF, and converts
// anything thrown into the error envelope. Authorisation happens here, in
// the handler itself, whatever the request proxy did before.
import type { ApiKeyScope } from "@/lib/auth/api-key-schemas";
import { authenticateApiKey, type ApiKeySummary } from "@/lib/auth/api-keys";
import { SESSION_COOKIE } from "@/lib/auth/session-token";
import { readSession } from "@/lib/auth/sessions";
import { isTotpEnrolmentRequired } from "@/lib/auth/totp";
import type { Role } from "@/lib/auth/user-schemas";
import type { UserSummary } from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";
import { readCookie } from "./cookies";
import { checkSameOrigin } from "./csrf";
import { ApiError, errorResponse, toApiError } from "./errors";

export type Principal = { kind: "api_key"; apiKey: ApiKeySummary } | { kind: "user"; user: UserSummary };

export type Access =
  | { public: true }
  /**
   * API keys need `scope`; signed-in users need `role` (admin includes viewer). Omit one to refuse that kind.
   * `duringEnrolment`: also open to an administrator whom REQUIRE_MFA_FOR_ADMINS holds back until they enrol.
   */
  | { scope?: ApiKeyScope; role?: Role; bodyType?: "json" | "multipart"; duringEnrolment?: boolean };

type RouteContext = { params: Promise<Record<string, string | string[]>> };
type Handler<P> = (request: Request, context: { principal: P; params: RouteContext["params"] }) => Promise<Response>;

export function apiHandler(access: { public: true }, handler: Handler<null>): (request: Request, context: RouteContext) => Promise<Response>;
export function apiHandler(access: Access, handler: Handler<Principal>): (request: Request, context: RouteContext) => Promise<Response>;
export function apiHandler(access: Access, handler: Handler<Principal> | Handler<null>) {
  const run = handler as Handler<Principal | null>;
  return async (request: Request, context: RouteContext): Promise<Response> => {
    try {
      const principal = "public" in access ? null : await authorise(request, access);
      return await run(request, { principal, params: context.params });
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

async function authorise(request: Request, access: Exclude<Access, { public: true }>): Promise<Principal> {
  const header = request.headers.get("authorization");
  if (header) return authoriseApiKey(header, access.scope);

  const cookie = readCookie(request, SESSION_COOKIE);
  if (!cookie || !access.role) {
    const how = access.role ? "Sign in, or send an API key" : "Send an API key";
    throw new ApiError("unauthorized", `${how} as 'Authorization: Bearer <key>'.`, undefined, CHALLENGE);
  }
  const db = await getDb();
  const user = await readSession(db, cookie);
  if (!user) throw new ApiError("unauthorized", "Your session has ended; sign in again.");
  if (access.role === "admin" && user.role !== "admin") throw new ApiError("forbidden", "Only administrators may do this.");
  if (!access.duringEnrolment && (await isTotpEnrolmentRequired(db, user))) {
    throw new ApiError(
      "mfa_enrolment_required",
      "Administrators must turn on two-factor sign-in before anything else (REQUIRE_MFA_FOR_ADMINS): set it up under Settings.",
    );
  }
  checkSameOrigin(request, access.bodyType ?? "json");
  return { kind: "user", user };
}

async function authoriseApiKey(header: string, scope: ApiKeyScope | undefined): Promise<Principal> {
  const token = BEARER.exec(header)?.[1];
  const apiKey = token ? await authenticateApiKey(await getDb(), token) : null;
  if (!apiKey) throw new ApiError("unauthorized", "The API key is invalid or has been revoked.", undefined, CHALLENGE);
  if (!scope || !apiKey.scopes.includes(scope)) {
    throw new ApiError("forbidden", scope ? `This API key does not have the '${scope}' scope.` : "API keys cannot do this; sign in.");
  }
  return { kind: "api_key", apiKey };
}
