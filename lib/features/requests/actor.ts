import { ANONYMOUS } from "@/lib/records/audit/access-audit";
import type { Actor } from "@/lib/records/audit/security-events";
import type { UserSummary } from "@/lib/records/auth/users";
import { ingestedByKey, ingestedByUpload } from "@/lib/records/logs/provenance";
import { clientIp } from "@/lib/platform/http/client-ip";
import { ApiError } from "@/lib/platform/http/errors";
import type { Principal } from "./principal";

/** Who is acting, for the audit log: the signed-in user, the API key's name, or nobody known. */
export function actorOf(principal: Principal | null, request: Request): Actor {
  const user = !principal
    ? ANONYMOUS
    : principal.kind === "user"
      ? principal.user.email
      : `api-key:${principal.apiKey.name}`;
  return { user, ip: clientIp(request.headers) };
}

/** Who stores the logs a principal sends (`ingested_by`): its API key, or the signed-in user's upload. */
export function ingestedByOf(principal: Principal): string {
  return principal.kind === "api_key" ? ingestedByKey(principal.apiKey.id) : ingestedByUpload(principal.user.email);
}

/** The signed-in user behind a principal; for handlers that accept no API key (their Access names no scope). */
export function userOf(principal: Principal): UserSummary {
  if (principal.kind !== "user") throw new ApiError("forbidden", "API keys cannot do this; sign in.");
  return principal.user;
}
