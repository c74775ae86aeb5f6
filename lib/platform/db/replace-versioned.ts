// One writer's step on a derived document that records the last checkpoint it
// holds (`through`): replace it only if it still holds the version read, or
// insert it when absent, and after a lost race read it again and retry. On
// MongoDB the conditional replace is atomic. FerretDB v1 applies the filter by
// reading, then writes in a separate step: a write landing in that instant can
// still be lost (a risk only when two writers derive at once).
import type { Collection, Filter, OptionalUnlessRequiredId, WithoutId } from "mongodb";
import { isDuplicateKeyError } from "@/lib/platform/db/errors";

const MAX_ATTEMPTS = 5;

export type Versioned = { _id: string; through: number };

/**
 * Stores `next(stored)` under `_id` (null from `next`: leave it as it is).
 * `known` is the document already read (null: known to be absent; undefined: read it first).
 */
export async function replaceVersioned<T extends Versioned>(
  collection: Collection<T>,
  _id: string,
  next: (stored: T | null) => T | null,
  known?: T | null,
): Promise<void> {
  let stored = known;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    if (stored === undefined) stored = (await collection.findOne({ _id } as Filter<T>)) as T | null;
    const replacement = next(stored);
    if (!replacement) return;
    if (stored) {
      const { matchedCount } = await collection.replaceOne(
        { _id, through: stored.through } as Filter<T>,
        replacement as WithoutId<T>,
      );
      if (matchedCount === 1) return;
    } else {
      try {
        return void (await collection.insertOne(replacement as OptionalUnlessRequiredId<T>));
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
    stored = undefined;
  }
  throw new Error(`${collection.collectionName} ${_id}: kept changing while it was written (${MAX_ATTEMPTS} attempts)`);
}
