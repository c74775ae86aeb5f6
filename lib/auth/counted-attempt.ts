import type { Db } from "mongodb";
import { getConfig } from "@/lib/config";
import { checkLogin, forgetEvents, recordLoginFailure, type LoginAttempt } from "./rate-limit";

export type CountedAttempt = { ok: true } | { ok: false; reason: "invalid" } | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

/**
 * Runs a check of a password or code as a sign-in attempt: it counts as a
 * failure against the account and the IP before it runs (so parallel guesses
 * see each other) and is taken back only when it passes; while the sign-in
 * limits refuse, the check does not run at all.
 */
export async function runCountedAttempt(db: Db, who: LoginAttempt, check: () => Promise<boolean>): Promise<CountedAttempt> {
  const { loginMaxFailures, loginWindowMs } = getConfig();
  const events = await recordLoginFailure(db, who);
  const limit = await checkLogin(db, who, { maxFailures: loginMaxFailures + 1, windowMs: loginWindowMs, now: new Date() });
  if (!limit.allowed) return { ok: false, reason: "rate_limited", retryAfterSeconds: limit.retryAfterSeconds };
  if (limit.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, limit.delayMs));
  if (!(await check())) return { ok: false, reason: "invalid" };
  await forgetEvents(db, events);
  return { ok: true };
}
