// Adds one checkpoint's contributions to the period documents. Derivations
// run in checkpoint order (writeCheckpoint finishes its predecessor's before
// writing the next checkpoint), so a document counting through N-1 is the
// one N is added to; a document already through N or later is left alone.
// The write is conditional on the `through` that was read: on MongoDB the
// replace is atomic, so of two writers only one adds N and a late writer of
// an older checkpoint can never overwrite newer counts. FerretDB v1 applies
// the same filter by reading, then writing in a separate step: a write landing
// in that instant can still be lost (a risk only when two writers derive at once).
import type { Db } from "mongodb";
import { isDuplicateKeyError } from "@/lib/db/errors";
import { forEachConcurrently } from "@/lib/util/concurrently";
import { addToPeriod, periodsCollection, type Contribution, type Contributions } from "./rollups";

const IN_FLIGHT = 8;
const MAX_ATTEMPTS = 5;

export type Through = { number: number; end_sequence: number };

export async function writeContributions(db: Db, contributions: Contributions, through: Through): Promise<void> {
  await forEachConcurrently(contributions.values(), IN_FLIGHT, (contribution) => writePeriod(db, contribution, through));
}

async function writePeriod(db: Db, contribution: Contribution, through: Through): Promise<void> {
  const periods = periodsCollection(db);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const stored = await periods.findOne({ _id: contribution.id });
    if (stored && stored.through >= through.number) return;
    const next = addToPeriod(stored, contribution, through);
    if (!stored) {
      try {
        await periods.insertOne(next);
        return;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        continue;
      }
    }
    const { matchedCount } = await periods.replaceOne({ _id: contribution.id, through: stored.through }, next);
    if (matchedCount === 1) return;
  }
  throw new Error(`rollup ${contribution.id} kept changing while checkpoint ${through.number} was added to it`);
}
