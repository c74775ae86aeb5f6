// Writes period documents conditionally on the `through` that was read.
// Derivations run in checkpoint order (writeCheckpoint finishes its
// predecessor's before writing the next checkpoint), so a document counting
// through N-1 is the one N is added to; a document already through N or later
// is left alone. On MongoDB the conditional replace is atomic: of two writers
// only one adds N, and a late writer of an older checkpoint never overwrites
// newer counts. FerretDB v1 applies the same filter by reading, then writing
// in a separate step: a write landing in that instant can still be lost (a
// risk only when two writers derive at once).
import type { Db } from "mongodb";
import { isDuplicateKeyError } from "@/lib/db/errors";
import { forEachConcurrently } from "@/lib/util/concurrently";
import { addToPeriod, groupByCollection, packPeriod, periodsCollection, unpackPeriod, type Contributions, type PeriodDoc } from "./rollups";

const IN_FLIGHT = 8;
const MAX_ATTEMPTS = 5;

export type Through = { number: number; end_sequence: number };

/** The document to store in place of `stored`, or null to leave it as it is. */
export type PeriodUpdate = (id: string, stored: PeriodDoc | null) => PeriodDoc | null;

/** Adds checkpoint `through`'s contributions to every period they touch. */
export async function writeContributions(db: Db, contributions: Contributions, through: Through): Promise<void> {
  const byId = new Map([...contributions.values()].map((contribution) => [contribution.id, contribution]));
  await updatePeriods(db, [...byId.keys()], (id, stored) => (stored && stored.through >= through.number ? null : addToPeriod(stored, byId.get(id)!, through)));
}

/**
 * Applies `update` to each document: one read per day collection, the new
 * documents in one insert (the common case, and one disk sync on the
 * embedded server), then a conditional replace for each existing one,
 * re-reading and retrying a document that changed meanwhile.
 */
export async function updatePeriods(db: Db, ids: string[], update: PeriodUpdate): Promise<void> {
  await forEachConcurrently(groupByCollection(ids), IN_FLIGHT, async (group) => {
    const collection = periodsCollection(db, group[0]!);
    const stored = new Map((await collection.find({ _id: { $in: group } }).toArray()).map((doc) => [doc._id, unpackPeriod(doc)]));
    const inserts = group.flatMap((id) => (stored.has(id) ? [] : [update(id, null)])).filter((doc) => doc !== null).map(packPeriod);
    let retry = group.filter((id) => stored.has(id));
    if (inserts.length > 0) {
      try {
        await collection.insertMany(inserts, { ordered: false });
      } catch (error) {
        if (!isDuplicateKeyError(error) && !hasOnlyDuplicates(error)) throw error;
        retry = group;
      }
    }
    for (const id of retry) await updateOne(db, id, update, stored.get(id));
  });
}

async function updateOne(db: Db, id: string, update: PeriodUpdate, read: PeriodDoc | undefined): Promise<void> {
  const collection = periodsCollection(db, id);
  let stored = read;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    if (!stored) {
      const found = await collection.findOne({ _id: id });
      stored = found ? unpackPeriod(found) : undefined;
    }
    const next = update(id, stored ?? null);
    if (!next) return;
    if (stored) {
      if ((await collection.replaceOne({ _id: id, through: stored.through }, packPeriod(next))).matchedCount === 1) return;
    } else {
      try {
        return void (await collection.insertOne(packPeriod(next)));
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
    stored = undefined;
  }
  throw new Error(`rollup ${id} kept changing while it was written`);
}

function hasOnlyDuplicates(error: unknown): boolean {
  const writeErrors = (error as { writeErrors?: unknown[] }).writeErrors;
  return Array.isArray(writeErrors) && writeErrors.length > 0 && writeErrors.every(isDuplicateKeyError);
}
