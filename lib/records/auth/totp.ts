// Two-factor sign-in with TOTP (RFC 6238), optional for each user: enrolment
// (the secret shown once, on only after a first code from the app), one-time
// recovery codes, turning it off, and an administrator's reset for a lost
// device. Every change and every wrong code is recorded in Ledgerline's own log.
import type { Db } from "mongodb";
import { recordSecurityEvent, type Actor } from "@/lib/records/audit/security-events";
import { getConfig } from "@/lib/foundation/config";
import { isDuplicateKeyError } from "@/lib/platform/db/errors";
import { ApiError, tooManyAttemptsError } from "@/lib/platform/http/errors";
import { runCountedAttempt } from "./counted-attempt";
import { formatRecoveryCode, hashRecoveryCode, newRecoveryCodes, sealTotpSecret } from "./totp-crypto";
import {
  acceptTotpCode,
  base32Of,
  deleteTotpFactor,
  findEnabledTotpFactor,
  findTotpFactor,
  newTotpSecret,
  replaceRecoveryCodes,
  totpFactors,
  totpUri,
  unusedRecoveryCodes,
} from "./totp-factors";
import type { Reauthentication } from "./totp-schemas";
import { findUserByEmail, verifyCredentials, type UserSummary } from "./users";

export const RECOVERY_CODE_COUNT = 10;

export type TotpStatus = { enabled: boolean; enabled_at: Date | null; recovery_codes_left: number };
export type TotpEnrolment = { secret: string; otpauth_uri: string };

export async function getTotpStatus(db: Db, userId: string): Promise<TotpStatus> {
  const factor = await findEnabledTotpFactor(db, userId);
  return {
    enabled: factor !== null,
    enabled_at: factor?.enabled_at ?? null,
    recovery_codes_left: factor ? unusedRecoveryCodes(factor) : 0,
  };
}

/** Whether REQUIRE_MFA_FOR_ADMINS holds this user back until they enrol. */
export async function isTotpEnrolmentRequired(db: Db, user: UserSummary): Promise<boolean> {
  return (
    getConfig().requireMfaForAdmins && user.role === "admin" && (await findEnabledTotpFactor(db, user.id)) === null
  );
}

/** A new secret for the user's app, replacing any enrolment not yet confirmed; refused while one is on. */
export async function startTotpEnrolment(db: Db, user: UserSummary): Promise<TotpEnrolment> {
  const secret = newTotpSecret();
  const record = {
    secret: sealTotpSecret(user.id, secret),
    created_at: new Date(),
    enabled_at: null,
    last_step: 0,
    recovery_codes: [],
  };
  try {
    // An enabled factor does not match the filter, so the upsert's insert collides with it on _id.
    await totpFactors(db).replaceOne({ _id: user.id, enabled_at: null }, record, { upsert: true });
  } catch (error) {
    if (isDuplicateKeyError(error)) throw alreadyEnabled();
    throw error;
  }
  return { secret: base32Of(secret), otpauth_uri: totpUri(secret, user.email) };
}

/** Turns the factor on when the code is current, and returns its recovery codes (shown once). */
export async function confirmTotpEnrolment(db: Db, user: UserSummary, code: string, ip?: string): Promise<string[]> {
  const factor = await findTotpFactor(db, user.id);
  if (factor?.enabled_at) throw alreadyEnabled();
  if (!factor) throw new ApiError("conflict", "No two-factor set-up is waiting for a code: start the set-up again.");
  if (!(await acceptTotpCode(db, factor, code))) {
    await recordWrongCode(db, user, ip, "wrong code while turning on two-factor sign-in");
    throw wrongProof("code");
  }
  const codes = newRecoveryCodes(RECOVERY_CODE_COUNT);
  const recoveryCodes = codes.map((c) => ({ hash: hashRecoveryCode(user.id, c), used_at: null }));
  // The secret in the filter: a set-up restarted meanwhile has a secret this code did not prove.
  const { modifiedCount } = await totpFactors(db).updateOne(
    { _id: user.id, secret: factor.secret, enabled_at: null },
    { $set: { enabled_at: new Date(), recovery_codes: recoveryCodes } },
  );
  if (modifiedCount === 0)
    throw new ApiError(
      "conflict",
      "The two-factor set-up was restarted meanwhile: scan the new QR code and try again.",
    );
  await recordTotpEvent(db, { user: user.email, ip }, "totp_enabled", user, "Two-factor sign-in turned on");
  return codes.map(formatRecoveryCode);
}

/** Turns the factor off after the proof; refused for administrators while REQUIRE_MFA_FOR_ADMINS is on. */
export async function disableTotp(db: Db, user: UserSummary, proof: Reauthentication, ip?: string): Promise<void> {
  if (getConfig().requireMfaForAdmins && user.role === "admin") {
    throw new ApiError("forbidden", "Administrators must keep two-factor sign-in on (REQUIRE_MFA_FOR_ADMINS).");
  }
  await requireProof(db, user, proof, ip, "turning off two-factor sign-in");
  await deleteTotpFactor(db, user.id);
  await recordTotpEvent(db, { user: user.email, ip }, "totp_disabled", user, "Two-factor sign-in turned off");
}

/** New recovery codes after the proof, shown once; the old ones stop working. */
export async function regenerateRecoveryCodes(
  db: Db,
  user: UserSummary,
  proof: Reauthentication,
  ip?: string,
): Promise<string[]> {
  await requireProof(db, user, proof, ip, "making new recovery codes");
  const codes = newRecoveryCodes(RECOVERY_CODE_COUNT);
  await replaceRecoveryCodes(
    db,
    user.id,
    codes.map((code) => hashRecoveryCode(user.id, code)),
  );
  await recordTotpEvent(
    db,
    { user: user.email, ip },
    "totp_recovery_codes_regenerated",
    user,
    "New recovery codes made; the old ones no longer work",
  );
  return codes.map(formatRecoveryCode);
}

/** An administrator's reset (a lost device): the user signs in with the password alone and may enrol again. Null for no such account. */
export async function resetTotp(
  db: Db,
  email: string,
  actor: Actor,
): Promise<{ user: UserSummary; hadFactor: boolean } | null> {
  const user = await findUserByEmail(db, email);
  if (!user) return null;
  const hadFactor = await deleteTotpFactor(db, user.id);
  if (hadFactor) await recordTotpEvent(db, actor, "totp_reset", user, `Two-factor sign-in of "${user.email}" reset`);
  return { user, hadFactor };
}

async function recordWrongCode(db: Db, user: UserSummary, ip: string | undefined, message: string): Promise<void> {
  await recordSecurityEvent(db, { action: "totp_verify", status: "failed", user: user.email, ip, message });
}

/** Counted against the sign-in limits like a password at sign-in, since a stolen session could otherwise guess freely. */
async function requireProof(
  db: Db,
  user: UserSummary,
  proof: Reauthentication,
  ip: string | undefined,
  during: string,
): Promise<void> {
  if (!(await findEnabledTotpFactor(db, user.id)))
    throw new ApiError("conflict", "Two-factor sign-in is not on for this account.");
  const result = await runCountedAttempt(db, { email: user.email, ip }, async () => {
    if (proof.password !== undefined) return (await verifyCredentials(db, user.email, proof.password)) !== null;
    const factor = await findEnabledTotpFactor(db, user.id);
    return factor !== null && (await acceptTotpCode(db, factor, proof.code!));
  });
  if (!result.ok) {
    const what =
      result.reason === "rate_limited"
        ? "refused: too many failed attempts"
        : proof.password !== undefined
          ? "wrong password"
          : "wrong code";
    await recordWrongCode(db, user, ip, `${what} while ${during}`);
    throw result.reason === "rate_limited"
      ? tooManyAttemptsError(result.retryAfterSeconds)
      : wrongProof(proof.password !== undefined ? "password" : "code");
  }
}

function wrongProof(field: "code" | "password"): ApiError {
  const message =
    field === "code" ? "is not the current code of your authenticator app (or was used already)" : "is incorrect";
  return new ApiError("validation_failed", `The ${field} is not right; nothing was changed.`, [{ field, message }]);
}

function alreadyEnabled(): ApiError {
  return new ApiError("conflict", "Two-factor sign-in is already on; turn it off first to enrol another device.");
}

async function recordTotpEvent(
  db: Db,
  actor: Actor,
  action: string,
  user: UserSummary,
  message: string,
): Promise<void> {
  await recordSecurityEvent(db, {
    ...actor,
    action,
    status: "success",
    message,
    metadata: { user_id: user.id, email: user.email },
  });
}
