import type { Db } from "mongodb";
import { getConfig } from "@/lib/foundation/config";
import { checkLogin, forgetEvents, recordLoginFailure, type LoginAttempt } from "./rate-limit";

export type CountedAttempt =
  { ok: true } | { ok: false; reason: "invalid" } | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

/**
 * Runs a check of a password or code under the sign-in limits, as signIn
 * counts its password: a failure against the account, the IP and the global
 * count before it runs (so parallel guesses see each other), taken back when
 * it passes, when the limits refuse it (it tried nothing) or when it throws.
 */
export async function runCountedAttempt(
  db: Db,
  who: LoginAttempt,
  check: () => Promise<boolean>,
): Promise<CountedAttempt> {
  const { loginMaxFailures, loginWindowMs, loginGlobalMaxFailuresPerMinute } = getConfig();
  const events = await recordLoginFailure(db, who);
  const limit = await checkLogin(db, who, {
    maxFailures: loginMaxFailures + 1,
    windowMs: loginWindowMs,
    globalMaxFailures: loginGlobalMaxFailuresPerMinute + 1,
  });
  if (!limit.allowed) {
    await forgetEvents(db, events);
    return { ok: false, reason: "rate_limited", retryAfterSeconds: limit.retryAfterSeconds };
  }
  if (limit.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, limit.delayMs));
  let passed: boolean;
  try {
    passed = await check();
  } catch (error) {
    await forgetEvents(db, events);
    throw error;
  }
  if (!passed) return { ok: false, reason: "invalid" };
  await forgetEvents(db, events);
  return { ok: true };
}
