// One wrapper for every route handler. Each handler declares who may call it
// (auth is on unless it says `public`), and the wrapper authenticates,
// authorises, guards cookie-authenticated writes against CSRF, converts
// anything thrown into the error envelope, and audits each 401 and 403 of a
// handler that is not public. Authorisation happens here, in the handler
// itself, whatever the request proxy did before.
import { auditRefusedRequest } from "@/lib/records/audit/access-audit";
import type { ApiKeyScope } from "@/lib/records/auth/api-key-schemas";
import { authenticateApiKey, type ApiKeySummary } from "@/lib/records/auth/api-keys";
import { SESSION_COOKIE } from "@/lib/records/auth/session-token";
import { readSession } from "@/lib/records/auth/sessions";
import { hasRole, rolesAllowed } from "@/lib/records/auth/roles";
import { isTotpEnrolmentRequired } from "@/lib/records/auth/totp";
import type { Role } from "@/lib/records/auth/user-schemas";
import { getConfig } from "@/lib/foundation/config";
import { getDb } from "@/lib/platform/db/client";
import { assertNotBacklogged, DatabaseBudget } from "@/lib/platform/db/time-budget";
import { actorOf } from "./actor";
import type { Principal } from "./principal";
import { readCookie } from "@/lib/platform/http/cookies";
import { presentedKeys } from "@/lib/platform/http/credentials";
import { checkSameOrigin } from "@/lib/platform/http/csrf";
import { ApiError, errorResponse, toApiError } from "@/lib/platform/http/errors";

export type Access =
  | { public: true }
  /**
   * API keys need `scope`; signed-in users need `role` or one above it (lib/records/auth/roles.ts). Omit one to refuse
   * that kind. `duringEnrolment`: also open to an administrator whom REQUIRE_MFA_FOR_ADMINS holds back until they
   * enrol.
   */
  | { scope?: ApiKeyScope; role?: Role; bodyType?: "json" | "multipart"; duringEnrolment?: boolean };

type RouteContext = { params: Promise<Record<string, string | string[]>> };
/** `budget`: this request's time on the database, shared by authentication and the handler's calls that pass it on. */
type Handler<P> = (
  request: Request,
  context: { principal: P; params: RouteContext["params"]; budget: DatabaseBudget },
) => Promise<Response>;

/** A wrapped handler; it carries its access so that the OpenAPI document (lib/features/openapi) states what the handler enforces. */
export type RouteHandler = ((request: Request, context: RouteContext) => Promise<Response>) & {
  readonly access: Access;
};

export function apiHandler(access: { public: true }, handler: Handler<null>): RouteHandler;
export function apiHandler(access: Access, handler: Handler<Principal>): RouteHandler;
export function apiHandler(access: Access, handler: Handler<Principal> | Handler<null>): RouteHandler {
  const run = handler as Handler<Principal | null>;
  const wrapped = async (request: Request, context: RouteContext): Promise<Response> => {
    let principal: Principal | null = null;
    const { requestDbTimeoutMs, requestDbMaxAbandoned } = getConfig();
    const budget = new DatabaseBudget(requestDbTimeoutMs);
    try {
      if (!("public" in access)) {
        // Public routes answer for themselves: health reports the database, sign-in has its own limits.
        assertNotBacklogged(requestDbMaxAbandoned);
        principal = await budget.spend(authenticate(request, access));
        await budget.spend(authorise(request, principal, access));
      }
      return withCacheControl(await run(request, { principal, params: context.params, budget }));
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError.code === "internal_error") {
        console.error(`ledgerline: ${request.method} ${new URL(request.url).pathname} failed:`, error);
      }
      // Public handlers audit their own refusals (sign-in records each failed attempt).
      if (!("public" in access) && (apiError.status === 401 || apiError.status === 403)) {
        auditRefusedRequest(actorOf(principal, request), {
          status: apiError.status,
          method: request.method,
          path: new URL(request.url).pathname,
          reason: apiError.message,
        });
      }
      return errorResponse(apiError);
    }
  };
  return Object.assign(wrapped, { access });
}

/**
 * Route handlers already run per request (Next.js prerenders one only when its
 * route file asks for it); their answers also stay out of every cache unless
 * the handler sets its own Cache-Control.
 */
function withCacheControl(response: Response): Response {
  if (response.headers.has("Cache-Control")) return response;
  try {
    response.headers.set("Cache-Control", "no-store");
    return response;
  } catch {
    // Headers of a redirect or a fetched response are immutable.
    const copy = new Response(response.body, response);
    copy.headers.set("Cache-Control", "no-store");
    return copy;
  }
}

const CHALLENGE = { "WWW-Authenticate": 'Bearer realm="ledgerline"' };

/** Who is calling (401 when nobody valid is named). */
async function authenticate(request: Request, access: Exclude<Access, { public: true }>): Promise<Principal> {
  const header = request.headers.get("authorization");
  if (header) {
    let apiKey: ApiKeySummary | null = null;
    for (const key of presentedKeys(header)) {
      apiKey = await authenticateApiKey(await getDb(), key);
      if (apiKey) break;
    }
    if (!apiKey)
      throw new ApiError("unauthorized", "The API key is invalid or has been revoked.", undefined, CHALLENGE);
    return { kind: "api_key", apiKey };
  }
  const cookie = readCookie(request, SESSION_COOKIE);
  if (!cookie || !access.role) {
    const how = access.role ? "Sign in, or send an API key" : "Send an API key";
    throw new ApiError("unauthorized", `${how} as 'Authorization: Bearer <key>'.`, undefined, CHALLENGE);
  }
  const user = await readSession(await getDb(), cookie);
  if (!user) throw new ApiError("unauthorized", "Your session has ended; sign in again.");
  return { kind: "user", user };
}

/** Whether the caller may do this (403 when not). */
async function authorise(
  request: Request,
  principal: Principal,
  access: Exclude<Access, { public: true }>,
): Promise<void> {
  if (principal.kind === "api_key") {
    const { scope } = access;
    if (!scope || !principal.apiKey.scopes.includes(scope)) {
      throw new ApiError(
        "forbidden",
        scope ? `This API key does not have the '${scope}' scope.` : "API keys cannot do this; sign in.",
      );
    }
    return;
  }
  if (access.role && !hasRole(principal.user.role, access.role))
    throw new ApiError("forbidden", `Only ${rolesAllowed(access.role)} may do this.`);
  if (!access.duringEnrolment && (await isTotpEnrolmentRequired(await getDb(), principal.user))) {
    throw new ApiError(
      "mfa_enrolment_required",
      "Administrators must turn on two-factor sign-in before anything else (REQUIRE_MFA_FOR_ADMINS): set it up under Settings.",
    );
  }
  checkSameOrigin(request, access.bodyType ?? "json");
}
