import * as login from "@/app/api/auth/login/route";
import { call, sessionFrom, TEST_HOST } from "./http";

/** POST /api/auth/login as the sign-in page sends it, with any extra headers (X-Forwarded-For). */
export function postSignIn(credentials: { email: string; password: string }, headers?: Record<string, string>) {
  return call(login.POST, "POST", "/api/auth/login", {
    body: JSON.stringify(credentials),
    origin: `http://${TEST_HOST}`,
    headers,
  });
}

/** Signs in and gives the session cookie's value. */
export async function signInSession(credentials: { email: string; password: string }): Promise<string> {
  return sessionFrom((await postSignIn(credentials)).headers);
}
