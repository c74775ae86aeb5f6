// A signed-in browser for the pages a suite times: a viewer account made as
// `npm run user` makes one, and the session cookie POST /api/auth/login sets,
// as the sign-in form gets it. The app needs a SESSION_SECRET to sign cookies;
// a suite gives it one made for the run.
import { randomBytes } from "node:crypto";
import type { Db } from "mongodb";
import { CLI_ACTOR } from "@/lib/records/audit/security-events";
import { SESSION_COOKIE } from "@/lib/records/auth/session-token";
import { createUser } from "@/lib/records/auth/users";

export type Credentials = { email: string; password: string };

/** SESSION_SECRET for this run only, never the one in .env.local. */
export function generateSessionSecret(): string {
  return randomBytes(32).toString("base64url");
}

export async function createViewer(db: Db, email: string): Promise<Credentials> {
  const password = randomBytes(18).toString("base64url");
  await createUser(db, { email, role: "viewer" }, password, CLI_ACTOR);
  return { email, password };
}

/** Returns the Cookie header that the signed-in browser sends. */
export async function signIn(url: string, credentials: Credentials): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: "POST",
    // Sign-in refuses requests from other sites: this one comes from the app's own origin.
    headers: { "content-type": "application/json", origin: url },
    body: JSON.stringify(credentials),
  });
  const cookie = response.headers.getSetCookie().find((header) => header.startsWith(`${SESSION_COOKIE}=`));
  if (response.status !== 200 || !cookie)
    throw new Error(`POST /api/auth/login answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
  await response.body?.cancel();
  return cookie.split(";")[0]!;
}
