import type { Db } from "mongodb";
import { recordSecurityEvent } from "@/lib/records/audit/security-events";
import { acceptTotpCode, findEnabledTotpFactor, spendRecoveryCode, unusedRecoveryCodes } from "./totp-factors";
import type { SecondFactorCode } from "./totp-schemas";
import type { UserSummary } from "./users";

export type SecondFactorRefusal =
  { ok: false; reason: "second_factor_required" } | { ok: false; reason: "wrong_second_factor" };

/**
 * The second step of signing in, after the password matched: passes users
 * without TOTP, and users with it who give a current, unused code or an
 * unused recovery code (which is then used up).
 */
export async function checkSecondFactor(
  db: Db,
  user: UserSummary,
  { code, ip }: { code?: SecondFactorCode; ip?: string },
): Promise<{ ok: true } | SecondFactorRefusal> {
  const factor = await findEnabledTotpFactor(db, user.id);
  if (!factor) return { ok: true };
  if (!code) return { ok: false, reason: "second_factor_required" };
  if (code.kind === "totp" && (await acceptTotpCode(db, factor, code.code))) return { ok: true };
  if (code.kind === "recovery" && (await spendRecoveryCode(db, factor, code.code))) {
    const left = unusedRecoveryCodes(factor) - 1;
    await recordSecurityEvent(db, {
      action: "totp_recovery_code_used",
      status: "success",
      user: user.email,
      ip,
      message: `Recovery code used to sign in; ${left} left`,
      metadata: { user_id: user.id, recovery_codes_left: left },
    });
    return { ok: true };
  }
  const what =
    code.kind === "totp" ? "wrong or already used authentication code" : "unknown or already used recovery code";
  await recordSecurityEvent(db, { action: "sign_in", status: "failed", user: user.email, ip, message: what });
  return { ok: false, reason: "wrong_second_factor" };
}
