import { ANONYMOUS } from "@/lib/audit/access-audit";
import type { Actor } from "@/lib/audit/security-events";
import { clientIp } from "./client-ip";
import type { Principal } from "./handler";

/** Who is acting, for the audit log: the signed-in user, the API key's name, or nobody known. */
export function actorOf(principal: Principal | null, request: Request): Actor {
  const user = !principal ? ANONYMOUS : principal.kind === "user" ? principal.user.email : `api-key:${principal.apiKey.name}`;
  return { user, ip: clientIp(request.headers) };
}
