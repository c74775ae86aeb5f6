// Reading rollups for a window: the period documents that cover it exactly,
// looked up by id in their day's collection (one read per day), a few dozen
// documents however long the window or the history.
import type { Db } from "mongodb";
import { forEachConcurrently } from "@/lib/foundation/util/concurrently";
import { periodId, periodsCovering, periodsOfQuarter, quarterOf, type Period } from "./periods";
import { ALL_TIME_ID, groupByCollection, periodsCollection, unpackPeriod, type PeriodDoc } from "./period-docs";

const IN_FLIGHT = 8;

/** The periods covering a window, each with its document (null: nothing counted there yet). */
export class CoveredWindow {
  constructor(readonly byId: ReadonlyMap<string, { period: Period; doc: PeriodDoc | null }>) {}

  docs(): PeriodDoc[] {
    return [...this.byId.values()].flatMap(({ doc }) => (doc ? [doc] : []));
  }

  /** The document of the period `time` falls in, null when it has none; undefined when `time` is outside the window. */
  docAt(time: Date): PeriodDoc | null | undefined {
    for (const period of periodsOfQuarter(quarterOf(time).getTime())) {
      const covered = this.byId.get(periodId(period));
      if (covered) return covered.doc;
    }
    return undefined;
  }
}

/** [from, to) in whole quarters; `totalsOnly` leaves out the values (ips, users, actions). */
export async function readWindow(
  db: Db,
  from: Date,
  to: Date,
  options: { totalsOnly?: boolean } = {},
): Promise<CoveredWindow> {
  return readPeriods(db, periodsCovering(from.getTime(), to.getTime()), options);
}

/** The documents of the given periods (which must not overlap), by id. */
export async function readPeriods(
  db: Db,
  periods: Iterable<Period>,
  { totalsOnly = false } = {},
): Promise<CoveredWindow> {
  const options = totalsOnly ? { projection: { packed: 0 } } : {};
  const byId = new Map<string, { period: Period; doc: PeriodDoc | null }>();
  for (const period of periods) byId.set(periodId(period), { period, doc: null });
  await forEachConcurrently(groupByCollection(byId.keys()), IN_FLIGHT, async (ids) => {
    const collection = periodsCollection(db, ids[0]!);
    const docs =
      ids.length === 1
        ? [await collection.findOne({ _id: ids[0]! }, options)]
        : await collection.find({ _id: { $in: ids } }, options).toArray();
    for (const doc of docs) if (doc) byId.get(doc._id)!.doc = unpackPeriod(doc);
  });
  return new CoveredWindow(byId);
}

export async function readAllTime(db: Db): Promise<PeriodDoc | null> {
  const stored = await periodsCollection(db, ALL_TIME_ID).findOne({ _id: ALL_TIME_ID });
  return stored && unpackPeriod(stored);
}
