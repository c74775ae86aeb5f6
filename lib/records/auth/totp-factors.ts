// One TOTP factor per user in totp_factors (its _id is the user's id), and in
// totp_uses one document per accepted time step and per used recovery code.
// The embedded server's updates are read-modify-write, so two requests with
// the same code can both read it as unused; inserting its use under a unique
// _id is what lets only one of them through.
import { TOTP, Secret } from "otpauth";
import type { Db } from "mongodb";
import { COLLECTIONS } from "@/lib/platform/db/collections";
import { isDuplicateKeyError } from "@/lib/platform/db/errors";
import { hashRecoveryCode, openTotpSecret } from "./totp-crypto";

export type TotpFactorRecord = {
  _id: string;
  /** Sealed by totp-crypto; never leaves the server after enrolment. */
  secret: string;
  created_at: Date;
  /** Null while the enrolment waits for its first code. */
  enabled_at: Date | null;
  /** The latest time step accepted: no code of it or of an earlier step is accepted again. */
  last_step: number;
  recovery_codes: { hash: string; used_at: Date | null }[];
};

type TotpUseRecord = { _id: string; user_id: string; kind: "step" | "recovery"; at: Date };

/** RFC 6238 as authenticator apps expect it: HMAC-SHA1, 6 digits, 30-second steps. */
export const TOTP_SETTINGS = { algorithm: "SHA1", digits: 6, period: 30 } as const;
/** Codes of the previous and the next step are accepted too, for clocks a little off. */
const STEP_TOLERANCE = 1;
/** A step's use only has to outlive the requests racing for it; last_step refuses it afterwards. */
const STEP_USE_KEPT_MS = 10 * 60_000;

export function totpFactors(db: Db) {
  return db.collection<TotpFactorRecord>(COLLECTIONS.totpFactors);
}

function totpUses(db: Db) {
  return db.collection<TotpUseRecord>(COLLECTIONS.totpUses);
}

export async function findTotpFactor(db: Db, userId: string): Promise<TotpFactorRecord | null> {
  return totpFactors(db).findOne({ _id: userId });
}

export async function findEnabledTotpFactor(db: Db, userId: string): Promise<TotpFactorRecord | null> {
  const factor = await findTotpFactor(db, userId);
  return factor?.enabled_at ? factor : null;
}

export function newTotpSecret(): Uint8Array {
  return new Secret({ size: 20 }).bytes;
}

/** The otpauth:// address an authenticator app reads from the QR code. */
export function totpUri(secret: Uint8Array, accountName: string): string {
  return new TOTP({
    ...TOTP_SETTINGS,
    issuer: "Ledgerline",
    label: accountName,
    secret: new Secret({ buffer: secretBuffer(secret) }),
  }).toString();
}

export function base32Of(secret: Uint8Array): string {
  return new Secret({ buffer: secretBuffer(secret) }).base32;
}

/**
 * Whether the code belongs to a step within the tolerance that is later than
 * every step accepted before; accepting it records the step, so the code (and
 * any earlier one) is refused from then on.
 */
export async function acceptTotpCode(
  db: Db,
  factor: TotpFactorRecord,
  code: string,
  now = new Date(),
): Promise<boolean> {
  const secret = new Secret({ buffer: secretBuffer(openTotpSecret(factor._id, factor.secret)) });
  const timestamp = now.getTime();
  const delta = TOTP.validate({ ...TOTP_SETTINGS, token: code, secret, timestamp, window: STEP_TOLERANCE });
  if (delta === null) return false;
  const step = TOTP.counter({ period: TOTP_SETTINGS.period, timestamp }) + delta;
  if (step <= factor.last_step) return false;
  if (!(await insertUse(db, { _id: `${factor._id}:step:${step}`, user_id: factor._id, kind: "step", at: now })))
    return false;
  await totpFactors(db).updateOne({ _id: factor._id }, { $max: { last_step: step } });
  await totpUses(db).deleteMany({
    user_id: factor._id,
    kind: "step",
    at: { $lt: new Date(timestamp - STEP_USE_KEPT_MS) },
  });
  return true;
}

/** Uses up one unused recovery code; false when it is unknown or already used. */
export async function spendRecoveryCode(
  db: Db,
  factor: TotpFactorRecord,
  code: string,
  now = new Date(),
): Promise<boolean> {
  const hash = hashRecoveryCode(factor._id, code);
  const index = factor.recovery_codes.findIndex((stored) => stored.hash === hash && stored.used_at === null);
  if (index === -1) return false;
  if (!(await insertUse(db, { _id: `${factor._id}:recovery:${hash}`, user_id: factor._id, kind: "recovery", at: now })))
    return false;
  // The hash in the filter keeps a list regenerated meanwhile from losing a fresh code at the same index.
  await totpFactors(db).updateOne(
    { _id: factor._id, [`recovery_codes.${index}.hash`]: hash },
    { $set: { [`recovery_codes.${index}.used_at`]: now } },
  );
  return true;
}

export function unusedRecoveryCodes(factor: TotpFactorRecord): number {
  return factor.recovery_codes.filter((code) => code.used_at === null).length;
}

/** Replaces the recovery codes, forgetting which of the old ones were used. */
export async function replaceRecoveryCodes(db: Db, userId: string, hashes: string[]): Promise<void> {
  await totpFactors(db).updateOne(
    { _id: userId },
    { $set: { recovery_codes: hashes.map((hash) => ({ hash, used_at: null })) } },
  );
  await totpUses(db).deleteMany({ user_id: userId, kind: "recovery" });
}

/** Removes the factor and its uses; whether there was one. */
export async function deleteTotpFactor(db: Db, userId: string): Promise<boolean> {
  const { deletedCount } = await totpFactors(db).deleteOne({ _id: userId });
  await totpUses(db).deleteMany({ user_id: userId });
  return deletedCount > 0;
}

async function insertUse(db: Db, use: TotpUseRecord): Promise<boolean> {
  try {
    await totpUses(db).insertOne(use);
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

function secretBuffer(secret: Uint8Array): ArrayBuffer {
  return Uint8Array.from(secret).buffer;
}
