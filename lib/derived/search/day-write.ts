// Rewriting one day's list of parts, by the layout's one writer
// (layout-writer.ts). Parts are insert-only and the list says which of them
// hold the day's entries, so a writer that stops midway leaves parts that no
// list names. To find them again without reading search_parts, each rewrite
// records in the day's `drop` the parts that could become such garbage:
// first, before new parts are inserted, their ids (if the writer stops before
// listing them, they stay recorded); then, with the new list, the parts it no
// longer names, which it deletes and then clears from `drop`. So `drop` is
// empty unless a writer stopped, and every writer of the day starts by
// deleting the recorded parts that the list does not name. A reader holding
// the previous list finds a deleted part missing and reads the list again
// (read.ts).
import type { Db } from "mongodb";
import { isOnlyDuplicateKeyErrors } from "@/lib/platform/db/errors";
import type { HeldLease } from "@/lib/platform/db/lease";
import { forEachConcurrently } from "@/lib/foundation/util/concurrently";
import {
  readDayParts,
  readPartSpans,
  searchDays,
  searchParts,
  type DayParts,
  type PartSpans,
  type SearchDay,
  type SearchPart,
} from "./layout";

const DELETES_IN_FLIGHT = 4;

export type DayLayout = { through: number; parts: DayParts; spans: PartSpans };
/** A day's next list; `inserted`: the new parts it names; `unlisted`: stored parts it no longer names. */
export type DayRewrite = { layout: DayLayout; inserted: SearchPart[]; unlisted: string[] };
/** The next list from the stored one (null: no day document), or null to leave the day as it is. */
export type DayPlan = (stored: DayLayout | null) => Promise<DayRewrite | null>;

export async function rewriteDay(db: Db, lease: HeldLease, day: string, plan: DayPlan): Promise<void> {
  const stored = await searchDays(db).findOne({ _id: day });
  const current = stored && layoutOf(stored);
  const garbage = stored?.drop ?? [];
  await deleteParts(
    db,
    garbage.filter((id) => !isListed(current, id)),
  );
  const next = await plan(current);
  if (!next) {
    if (current && garbage.length > 0) await putDay(db, lease, day, current.through, current, []);
    return;
  }
  let version = stored?.through ?? null;
  if (next.inserted.length > 0) {
    version = await putDay(
      db,
      lease,
      day,
      version,
      current ?? { through: 0, parts: {}, spans: {} },
      next.inserted.map((part) => part._id),
    );
    await insertParts(db, next.inserted);
  }
  if (Object.values(next.layout.parts).every((ids) => ids.length === 0)) {
    // Parts before the document that records them.
    await deleteParts(db, next.unlisted);
    lease.assertHeld();
    if (version !== null) await searchDays(db).deleteOne({ _id: day });
    return;
  }
  version = await putDay(db, lease, day, version, next.layout, next.unlisted);
  if (next.unlisted.length === 0) return;
  await deleteParts(db, next.unlisted);
  await putDay(db, lease, day, version, next.layout, []);
}

/** Whether a writer stopped while rewriting the day: it may have left parts that no list names. */
export function hasGarbage(day: Pick<SearchDay, "drop">): boolean {
  return (day.drop?.length ?? 0) > 0;
}

export function listedIds(parts: DayParts): string[] {
  return Object.values(parts).flat();
}

function layoutOf(day: SearchDay): DayLayout {
  return { through: day.through, parts: readDayParts(day), spans: readPartSpans(day) };
}

function isListed(layout: DayLayout | null, id: string): boolean {
  return layout !== null && Object.values(layout.parts).some((ids) => ids.includes(id));
}

/** Stores the day's list if it is still the version read (null: none yet); returns the version written. */
async function putDay(
  db: Db,
  lease: HeldLease,
  day: string,
  version: number | null,
  layout: DayLayout,
  drop: string[],
): Promise<number> {
  const listed = new Set(listedIds(layout.parts));
  const spans = Object.fromEntries(Object.entries(layout.spans).filter(([id]) => listed.has(id)));
  const doc = { through: layout.through, parts: JSON.stringify(layout.parts), spans: JSON.stringify(spans), drop };
  lease.assertHeld();
  if (version === null) await searchDays(db).insertOne({ _id: day, ...doc });
  else if ((await searchDays(db).replaceOne({ _id: day, through: version }, doc)).matchedCount !== 1) {
    throw new Error(`search day ${day} changed while its writer held the lease`);
  }
  return layout.through;
}

/** Parts are named by what they hold, so one already there is the same part. */
async function insertParts(db: Db, parts: SearchPart[]): Promise<void> {
  try {
    await searchParts(db).insertMany(parts, { ordered: false });
  } catch (error) {
    if (!isOnlyDuplicateKeyErrors(error)) throw error;
  }
}

async function deleteParts(db: Db, ids: string[]): Promise<void> {
  await forEachConcurrently(ids, DELETES_IN_FLIGHT, async (id) => void (await searchParts(db).deleteOne({ _id: id })));
}
