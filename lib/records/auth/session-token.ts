// The session cookie's value: a random token and an HMAC of it under
// SESSION_SECRET. The signature lets the request proxy turn away forged
// cookies without a database read; the token itself is what the database
// knows (as a hash), so a stolen database cannot be turned into cookies.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { ConfigError, getConfig } from "@/lib/foundation/config";

export const SESSION_COOKIE = "ledgerline_session";

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

function sessionSecret(): string {
  const secret = getConfig().sessionSecret;
  if (!secret)
    throw new ConfigError(
      "SESSION_SECRET is not set: run `npm run quickstart`, or set 32+ random characters in .env.local",
    );
  return secret;
}

function sign(token: string): string {
  return createHmac("sha256", sessionSecret()).update(token).digest("base64url");
}

export function newSessionCookieValue(): { token: string; value: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, value: `${token}.${sign(token)}` };
}

/** The token inside a genuine cookie value, or null for anything forged or malformed. */
export function tokenFromCookieValue(value: string | undefined): string | null {
  if (!value) return null;
  const [token, signature, ...rest] = value.split(".");
  if (!token || !signature || rest.length > 0 || !TOKEN.test(token)) return null;
  const expected = Buffer.from(sign(token));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? token : null;
}

/** How a token is stored: its hash, so the database alone cannot forge a cookie. */
export function sessionIdOf(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
