// Sign-in checks for pages (server components). Each page checks for itself;
// the request proxy's redirect is only a first gate. A session cookie that no
// longer names a session, and a page a user's role may not see, are audited
// as refused requests; a visit without any cookie is only sent to sign in.
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { ANONYMOUS, auditRefusedRequest } from "@/lib/records/audit/access-audit";
import type { Actor } from "@/lib/records/audit/security-events";
import { getDb } from "@/lib/platform/db/client";
import { clientIp } from "@/lib/platform/http/client-ip";
import { isDatabaseUnavailable } from "@/lib/platform/db/errors";
import { PATH_HEADER } from "@/lib/platform/http/path-header";
import { SESSION_COOKIE } from "./session-token";
import { readSession } from "./sessions";
import { isTotpEnrolmentRequired } from "./totp";
import type { UserSummary } from "./users";

/** The signed-in user, null when signed out, "unavailable" when the database is down. Once per request. */
export const getCurrentUser = cache(async (): Promise<UserSummary | null | "unavailable"> => {
  const cookie = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!cookie) return null;
  try {
    return await readSession(await getDb(), cookie);
  } catch (error) {
    if (isDatabaseUnavailable(error)) return "unavailable";
    throw error;
  }
});

/** Where an administrator without a second factor is sent while REQUIRE_MFA_FOR_ADMINS holds them back. */
export const ENROLMENT_PAGE = "/settings";

/** Whether the signed-in user must enrol a second factor before anything else. Once per request. */
export const mustEnrolTotp = cache(async (user: UserSummary): Promise<boolean> =>
  isTotpEnrolmentRequired(await getDb(), user),
);

/**
 * The signed-in user, or a redirect to /login that comes back here afterwards;
 * an administrator who must still enrol a second factor is sent to enrol.
 */
export async function requireUser(): Promise<UserSummary | "unavailable"> {
  const user = await getCurrentUser();
  const here = (await headers()).get(PATH_HEADER) ?? "/logs";
  if (user === null) {
    if ((await cookies()).has(SESSION_COOKIE)) await auditPageRefusal(null, 401, "the session has ended");
    redirect(`/login?next=${encodeURIComponent(here)}`);
  }
  if (user !== "unavailable" && new URL(here, OWN_ORIGIN).pathname !== ENROLMENT_PAGE && (await mustEnrolTotp(user))) {
    redirect(ENROLMENT_PAGE);
  }
  return user;
}

/** The user as the audit log names them (or nobody known), with the address a trusted proxy reports. */
export async function pageActor(user: UserSummary | null): Promise<Actor> {
  return { user: user?.email ?? ANONYMOUS, ip: clientIp(await headers()) };
}

/** Records a page refused to its visitor; once per request, though the layout and the page both check. */
export const auditPageRefusal = cache(
  async (user: UserSummary | null, status: 401 | 403, reason: string): Promise<void> => {
    const path = ((await headers()).get(PATH_HEADER) ?? "/").split("?")[0]!;
    auditRefusedRequest(await pageActor(user), { status, method: "GET", path, reason });
  },
);

// Any origin of ours: a destination is kept only if it resolves against it to the same origin.
const OWN_ORIGIN = "http://ledgerline.invalid";
// Browsers drop tab, CR and LF from a URL, so "/\t/evil.example" would become "//evil.example".
const CONTROL_CHARACTER = /[\u0000-\u001F\u007F]/;

/** Only a path (and query) on this site is a safe place to return to after sign-in; anything else goes to the logs. */
export function safeNextPath(next: string | undefined | null): string {
  if (!next || !next.startsWith("/") || CONTROL_CHARACTER.test(next)) return "/logs";
  let url: URL;
  try {
    url = new URL(next, OWN_ORIGIN);
  } catch {
    return "/logs";
  }
  // A path that resolves to "//host" would leave the site as a protocol-relative URL.
  return url.origin === OWN_ORIGIN && !url.pathname.startsWith("//") ? `${url.pathname}${url.search}` : "/logs";
}
