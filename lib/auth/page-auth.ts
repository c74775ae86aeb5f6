// Sign-in checks for pages (server components). Each page checks for itself;
// the request proxy's redirect is only a first gate.
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/http/errors";
import { PATH_HEADER } from "@/lib/http/path-header";
import { SESSION_COOKIE } from "./session-token";
import { readSession } from "./sessions";
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

/** The signed-in user, or a redirect to /login that comes back here afterwards. */
export async function requireUser(): Promise<UserSummary | "unavailable"> {
  const user = await getCurrentUser();
  if (user === null) {
    const here = (await headers()).get(PATH_HEADER) ?? "/logs";
    redirect(`/login?next=${encodeURIComponent(here)}`);
  }
  return user;
}

/** Only a relative path on this site is a safe place to return to after sign-in. */
export function safeNextPath(next: string | undefined | null): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.includes("\\")) return "/logs";
  return next;
}
