// Reading rollups for a window: the period documents that cover it exactly,
// each looked up by its id (the embedded server reads nothing else), a few
// dozen however long the window or large the collection.
import type { Db } from "mongodb";
import { forEachConcurrently } from "@/lib/util/concurrently";
import { periodId, periodsCovering, periodsOfQuarter, quarterOf, type Period } from "./periods";
import { ALL_TIME_ID, periodsCollection, type PeriodDoc } from "./rollups";

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

/** [from, to) in whole quarters. */
export async function readWindow(db: Db, from: Date, to: Date): Promise<CoveredWindow> {
  const byId = new Map<string, { period: Period; doc: PeriodDoc | null }>();
  await forEachConcurrently(periodsCovering(from.getTime(), to.getTime()), IN_FLIGHT, async (period) => {
    const id = periodId(period);
    byId.set(id, { period, doc: await periodsCollection(db).findOne({ _id: id }) });
  });
  return new CoveredWindow(byId);
}

export async function readAllTime(db: Db): Promise<PeriodDoc | null> {
  return periodsCollection(db).findOne({ _id: ALL_TIME_ID });
}
