// Signing in: rate limits first, then the password check, then a session.
// Every outcome is recorded in Ledgerline's own signed log.
import type { Db } from "mongodb";
import { recordSecurityEvent } from "@/lib/audit/security-events";
import { getConfig } from "@/lib/config";
import { checkLogin, forgetEvents, recordLoginFailure, recordLoginSuccess } from "./rate-limit";
import { checkSecondFactor, type SecondFactorRefusal } from "./second-factor";
import { createSession, pruneSessions } from "./sessions";
import type { SecondFactorCode } from "./totp-schemas";
import { verifyCredentials, type UserSummary } from "./users";

export type SignInResult =
  | { ok: true; user: UserSummary; cookieValue: string; expiresAt: Date }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number }
  | SecondFactorRefusal;

export async function signIn(db: Db, attempt: { email: string; password: string; code?: SecondFactorCode; ip?: string }): Promise<SignInResult> {
  const { email, password, ip } = attempt;
  const { loginMaxFailures, loginWindowMs } = getConfig();
  // The attempt counts as a failure before its password is checked, and the
  // limit is checked after: parallel guesses each see the others, so no more
  // than loginMaxFailures passwords are ever tried (checking first let all of
  // 20 parallel guesses through). A success clears the account's count.
  const attemptEvents = await recordLoginFailure(db, { email, ip });
  const check = await checkLogin(db, { email, ip }, { maxFailures: loginMaxFailures + 1, windowMs: loginWindowMs, now: new Date() });
  if (!check.allowed) {
    await recordSecurityEvent(db, { action: "sign_in", status: "failed", user: email, ip, message: "refused: too many failed attempts" });
    return { ok: false, reason: "rate_limited", retryAfterSeconds: check.retryAfterSeconds };
  }
  if (check.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, check.delayMs));

  const user = await verifyCredentials(db, email, password);
  if (!user) {
    await recordSecurityEvent(db, { action: "sign_in", status: "failed", user: email, ip, message: "wrong email or password" });
    return { ok: false, reason: "invalid" };
  }
  const secondFactor = await checkSecondFactor(db, user, { code: attempt.code, ip });
  if (!secondFactor.ok) {
    // A right password still waiting for its code is no failure; a wrong code is.
    if (secondFactor.reason === "second_factor_required") await forgetEvents(db, attemptEvents);
    return secondFactor;
  }
  // The attempt was not a failure after all, also not for its IP.
  await forgetEvents(db, attemptEvents);
  await recordLoginSuccess(db, { email });
  await pruneSessions(db);
  const session = await createSession(db, user.id);
  await recordSecurityEvent(db, { action: "sign_in", status: "success", user: user.email, ip });
  return { ok: true, user, ...session };
}
