import { SESSION_COOKIE } from "./session-token";

/** Set-Cookie for a session: httpOnly, SameSite=Lax, Secure over HTTPS. */
export function sessionCookieHeader(value: string, expiresAt: Date, isHttps: boolean): string {
  const parts = [
    `${SESSION_COOKIE}=${value}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Expires=${expiresAt.toUTCString()}`,
  ];
  if (isHttps) parts.push("Secure");
  return parts.join("; ");
}

export function clearedSessionCookieHeader(isHttps: boolean): string {
  return sessionCookieHeader("", new Date(0), isHttps);
}
