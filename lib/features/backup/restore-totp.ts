// The TOTP factors a restore brings back, and whether this deployment's
// LEDGERLINE_TOTP_KEY opens them: a factor sealed under another key is stored
// all the same, and its user cannot sign in until the key is set back or an
// administrator resets the factor.
import type { Db, Document } from "mongodb";
import type { z } from "zod";
import { isTotpAvailable, openTotpSecret } from "@/lib/records/auth/totp-crypto";
import { COLLECTIONS } from "@/lib/platform/db/collections";
import type { TotpFactorLine } from "./format";

type Factor = z.infer<typeof TotpFactorLine>;
export type FactorTally = { withoutUser: number; first: Factor | null };

/** `null`: the backup holds no factor to try. */
export type TotpKeyCheck = "opens" | "other_key" | "no_key" | null;

const BATCH = 1_000;

/**
 * The factors whose user the database holds after the users were restored;
 * the others (a user missing from the backup, or refused because another
 * account holds the email) are counted in `tally.withoutUser`, and the first
 * factor read is kept in `tally.first` to try the key on.
 */
export async function* factorsWithUser(
  db: Db,
  factors: AsyncIterable<Factor>,
  tally: FactorTally,
): AsyncGenerator<Document> {
  let batch: Factor[] = [];
  async function* flush() {
    const ids = batch.map((factor) => factor._id);
    const users = await db
      .collection<{ _id: string }>(COLLECTIONS.users)
      .find({ _id: { $in: ids } }, { projection: { _id: 1 } })
      .toArray();
    const present = new Set(users.map((user) => user._id));
    for (const factor of batch) {
      if (present.has(factor._id)) yield factor;
      else tally.withoutUser++;
    }
    batch = [];
  }
  for await (const factor of factors) {
    tally.first ??= factor;
    batch.push(factor);
    if (batch.length >= BATCH) yield* flush();
  }
  if (batch.length > 0) yield* flush();
}

/** Tries one factor for all: a deployment seals every factor under its one key. */
export function checkTotpKey(factor: Factor | null): TotpKeyCheck {
  if (!factor) return null;
  if (!isTotpAvailable()) return "no_key";
  try {
    openTotpSecret(factor._id, factor.secret);
    return "opens";
  } catch {
    return "other_key";
  }
}
