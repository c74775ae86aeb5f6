import type { Actor } from "@/lib/audit/security-events";
import type { UserSummary } from "@/lib/auth/users";
import { clientIp } from "./client-ip";
import { ApiError } from "./errors";
import type { Principal } from "./handler";

/** Who is acting, for the audit log: the signed-in user or the API key's name. */
export function actorOf(principal: Principal, request: Request): Actor {
  const user = principal.kind === "user" ? principal.user.email : `api-key:${principal.apiKey.name}`;
  return { user, ip: clientIp(request.headers) };
}

/** The signed-in user behind a principal; for handlers that accept no API key (their Access names no scope). */
export function userOf(principal: Principal): UserSummary {
  if (principal.kind !== "user") throw new ApiError("forbidden", "API keys cannot do this; sign in.");
  return principal.user;
}
