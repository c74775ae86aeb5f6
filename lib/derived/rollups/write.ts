// Writes period documents conditionally on the `through` that was read
// (lib/platform/db/replace-versioned.ts). Derivations run in checkpoint order
// (writeCheckpoint finishes its predecessor's before writing the next
// checkpoint), so a document counting through N-1 is the one N is added to; a
// document already through N or later is left alone, and a late writer of an
// older checkpoint never overwrites newer counts.
import type { Db } from "mongodb";
import { isOnlyDuplicateKeyErrors } from "@/lib/platform/db/errors";
import { forEachConcurrently } from "@/lib/foundation/util/concurrently";
import { replaceVersioned } from "@/lib/platform/db/replace-versioned";
import {
  addToPeriod,
  groupByCollection,
  packPeriod,
  periodsCollection,
  unpackPeriod,
  type Contributions,
  type PeriodDoc,
  type StoredPeriodDoc,
} from "./period-docs";

const IN_FLIGHT = 8;

export type Through = { number: number; end_sequence: number };

/** The document to store in place of `stored`, or null to leave it as it is. */
export type PeriodUpdate = (id: string, stored: PeriodDoc | null) => PeriodDoc | null;

/** Adds checkpoint `through`'s contributions to every period they touch. */
export async function writeContributions(db: Db, contributions: Contributions, through: Through): Promise<void> {
  const byId = new Map([...contributions.values()].map((contribution) => [contribution.id, contribution]));
  await updatePeriods(db, [...byId.keys()], (id, stored) =>
    stored && stored.through >= through.number ? null : addToPeriod(stored, byId.get(id)!, through),
  );
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
    const stored = new Map((await collection.find({ _id: { $in: group } }).toArray()).map((doc) => [doc._id, doc]));
    const inserts = group
      .flatMap((id) => (stored.has(id) ? [] : [update(id, null)]))
      .filter((doc) => doc !== null)
      .map(packPeriod);
    let retry = group.filter((id) => stored.has(id));
    if (inserts.length > 0) {
      try {
        await collection.insertMany(inserts, { ordered: false });
      } catch (error) {
        if (!isOnlyDuplicateKeyErrors(error)) throw error;
        retry = group;
      }
    }
    for (const id of retry) {
      const next = (doc: StoredPeriodDoc | null) => {
        const updated = update(id, doc && unpackPeriod(doc));
        return updated && packPeriod(updated);
      };
      await replaceVersioned(collection, id, next, stored.get(id));
    }
  });
}
