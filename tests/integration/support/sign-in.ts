import * as login from "@/app/api/auth/login/route";
import { call, TEST_HOST } from "./http";

/** POST /api/auth/login as the sign-in page sends it, with any extra headers (X-Forwarded-For). */
export function postSignIn(credentials: { email: string; password: string }, headers?: Record<string, string>) {
  return call(login.POST, "POST", "/api/auth/login", { body: JSON.stringify(credentials), origin: `http://${TEST_HOST}`, headers });
}
