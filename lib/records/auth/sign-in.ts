// Signing in: rate limits first, then the password check, then a session.
// Every outcome is recorded in Ledgerline's own signed log.
import type { Db } from "mongodb";
import { recordSecurityEvent } from "@/lib/records/audit/security-events";
import { getConfig } from "@/lib/foundation/config";
import { checkLogin, forgetEvents, recordLoginFailure, recordLoginSuccess, type LoginLimit } from "./rate-limit";
import { checkSecondFactor, type SecondFactorRefusal } from "./second-factor";
import { createSession, pruneSessions } from "./sessions";
import type { SecondFactorCode } from "./totp-schemas";
import { verifyCredentials, type UserSummary } from "./users";

export type SignInResult =
  | { ok: true; user: UserSummary; cookieValue: string; expiresAt: Date }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number }
  | SecondFactorRefusal;

const REFUSALS: Record<LoginLimit, string> = {
  account: "refused: too many failed attempts for this account",
  ip: "refused: too many failed attempts from this IP",
  global: "refused: too many failed sign-ins across all accounts",
};

export async function signIn(
  db: Db,
  attempt: { email: string; password: string; code?: SecondFactorCode; ip?: string },
): Promise<SignInResult> {
  const { email, password, ip } = attempt;
  const { loginMaxFailures, loginWindowMs, loginGlobalMaxFailuresPerMinute } = getConfig();
  // The attempt counts as a failure before its password is checked, and the
  // limits are checked after: parallel guesses each see the others, so no more
  // passwords than a limit allows are ever tried (checking first would let all
  // of 20 parallel guesses through). An attempt whose password is never checked is
  // taken back, since it tried nothing: counting refused attempts would let
  // anyone keep an account locked by knocking once a minute. A success clears
  // the account's count.
  const attemptEvents = await recordLoginFailure(db, { email, ip });
  const check = await checkLogin(
    db,
    { email, ip },
    {
      maxFailures: loginMaxFailures + 1,
      windowMs: loginWindowMs,
      globalMaxFailures: loginGlobalMaxFailuresPerMinute + 1,
    },
  );
  if (!check.allowed) {
    await forgetEvents(db, attemptEvents);
    await recordSecurityEvent(db, {
      action: "sign_in",
      status: "failed",
      user: email,
      ip,
      message: REFUSALS[check.limit],
    });
    return { ok: false, reason: "rate_limited", retryAfterSeconds: check.retryAfterSeconds };
  }
  if (check.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, check.delayMs));

  let user: UserSummary | null;
  try {
    user = await verifyCredentials(db, email, password);
  } catch (error) {
    await forgetEvents(db, attemptEvents);
    throw error;
  }
  if (!user) {
    await recordSecurityEvent(db, {
      action: "sign_in",
      status: "failed",
      user: email,
      ip,
      message: "wrong email or password",
    });
    return { ok: false, reason: "invalid" };
  }
  const secondFactor = await checkSecondFactor(db, user, { code: attempt.code, ip });
  if (!secondFactor.ok) {
    // A right password still waiting for its code is no failure; a wrong code is.
    if (secondFactor.reason === "second_factor_required") await forgetEvents(db, attemptEvents);
    return secondFactor;
  }
  // The attempt was not a failure after all, also not for its IP or for the global count.
  await forgetEvents(db, attemptEvents);
  await recordLoginSuccess(db, { email });
  await pruneSessions(db);
  const session = await createSession(db, user.id);
  await recordSecurityEvent(db, { action: "sign_in", status: "success", user: user.email, ip });
  return { ok: true, user, ...session };
}
