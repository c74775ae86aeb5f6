// A purge record states, signed with the checkpoint key, that the logs of
// checkpoints 1..through_checkpoint (sequences below through_sequence) were
// deleted on purpose by the retention job. The verifier then expects them
// gone; the checkpoints themselves stay, so the chain still verifies. Without
// the private key nobody can make a deletion pass for a purge.
import type { Db } from "mongodb";
import { z } from "zod";
import { COLLECTIONS } from "@/lib/platform/db/collections";
import { TAG, canonicalNumber, taggedValue } from "./canonical";
import type { CheckpointSigner, PublicKeySet } from "./checkpoint-keys";

export const PURGE_VERSION = "ledgerline/purge/v1";

export type PurgeBody = {
  /** Every log of checkpoints 1..through_checkpoint was purged. */
  through_checkpoint: number;
  /** That checkpoint's end_sequence: every sequence below it. */
  through_sequence: number;
  /** The digest of checkpoint through_checkpoint, tying the record to that exact history. */
  checkpoint_digest: string;
  /** Logs received before this instant were due. */
  cutoff: Date;
  purged_at: Date;
};

export type SignedPurge = PurgeBody & { key_id: string; signature: string };
type StoredPurge = SignedPurge & { _id: number };

export function purgesCollection(db: Db) {
  return db.collection<StoredPurge>(COLLECTIONS.purges);
}

function encode(body: PurgeBody & { key_id: string }): Buffer {
  return Buffer.concat([
    taggedValue(TAG.string, PURGE_VERSION),
    taggedValue(TAG.number, canonicalNumber(body.through_checkpoint)),
    taggedValue(TAG.number, canonicalNumber(body.through_sequence)),
    taggedValue(TAG.string, body.checkpoint_digest),
    taggedValue(TAG.date, body.cutoff.toISOString()),
    taggedValue(TAG.date, body.purged_at.toISOString()),
    taggedValue(TAG.string, body.key_id),
  ]);
}

export function signPurge(body: PurgeBody, signer: CheckpointSigner): SignedPurge {
  const unsigned = { ...body, key_id: signer.activeKeyId };
  return { ...unsigned, ...signer.sign(encode(unsigned)) };
}

const PurgeShape = z.object({
  through_checkpoint: z.int().min(1),
  through_sequence: z.int().min(1),
  checkpoint_digest: z.string().regex(/^[0-9a-f]{64}$/),
  cutoff: z.date(),
  purged_at: z.date(),
  key_id: z.string(),
  signature: z.string(),
});

export function verifyPurge(record: unknown, keys: PublicKeySet): SignedPurge | null {
  const parsed = PurgeShape.safeParse(record);
  if (!parsed.success) return null;
  return keys.verify(encode(parsed.data), parsed.data.key_id, parsed.data.signature) === "valid" ? parsed.data : null;
}

/** The furthest-reaching purge record whose signature verifies, or null. */
export async function latestValidPurge(db: Db, keys: PublicKeySet): Promise<SignedPurge | null> {
  for await (const record of purgesCollection(db).find().sort({ _id: -1 })) {
    const valid = verifyPurge(record, keys);
    if (valid) return valid;
  }
  return null;
}

/** Records a purge (before deleting anything); the number is through_checkpoint, so a re-run replaces nothing. */
export async function recordPurge(db: Db, purge: SignedPurge): Promise<void> {
  await purgesCollection(db).updateOne({ _id: purge.through_checkpoint }, { $setOnInsert: purge }, { upsert: true });
}
