// Reading rollups for a time range: whole 15-minute quarters, summed in the
// database ($match + $unwind + $group + $sum, one accumulator per $group for
// the embedded server), never raw logs loaded into the web process.
import type { Db } from "mongodb";
import { QUARTER_MS, rollupsCollection, type RollupDimension } from "./rollups";

/** [from, to) widened to whole quarters. */
export type QuarterRange = { from: Date; to: Date };

export function quarterRange(from: Date, to: Date): QuarterRange {
  return {
    from: new Date(Math.floor(from.getTime() / QUARTER_MS) * QUARTER_MS),
    to: new Date(Math.ceil(to.getTime() / QUARTER_MS) * QUARTER_MS),
  };
}

function inRange(range: QuarterRange) {
  return { quarter: { $gte: range.from, $lt: range.to } };
}

/** Logs and failed logs per quarter in the range (quarters without logs left out). */
export async function quarterTotals(db: Db, range: QuarterRange): Promise<{ quarter: Date; total: number; failed: number }[]> {
  const byQuarter = new Map<number, { quarter: Date; total: number; failed: number }>();
  // A quarter has one document per checkpoint that covered some of its logs.
  for await (const doc of rollupsCollection(db).find(inRange(range), { projection: { quarter: 1, total: 1, failed: 1 } })) {
    const key = doc.quarter.getTime();
    const sum = byQuarter.get(key) ?? { quarter: doc.quarter, total: 0, failed: 0 };
    sum.total += doc.total;
    sum.failed += doc.failed;
    byQuarter.set(key, sum);
  }
  return [...byQuarter.values()].sort((a, b) => a.quarter.getTime() - b.quarter.getTime());
}

/** The values of one dimension with the most logs (`t`) or failed logs (`f`) in the range. */
export async function topValues(db: Db, dimension: RollupDimension, range: QuarterRange, by: "t" | "f", limit: number): Promise<{ value: string; count: number }[]> {
  const rows = await rollupsCollection(db)
    .aggregate<{ _id: string; count: number }>([
      { $match: inRange(range) },
      { $unwind: `$${dimension}` },
      { $group: { _id: `$${dimension}.v`, count: { $sum: `$${dimension}.${by}` } } },
      { $match: { count: { $gt: 0 } } },
      { $sort: { count: -1, _id: 1 } },
      { $limit: limit },
    ])
    .toArray();
  return rows.map((row) => ({ value: row._id, count: row.count }));
}

/** How many distinct values of one dimension have logs in the range. */
export async function distinctCount(db: Db, dimension: RollupDimension, range: QuarterRange): Promise<number> {
  const [row] = await rollupsCollection(db)
    .aggregate<{ count: number }>([{ $match: inRange(range) }, { $unwind: `$${dimension}` }, { $group: { _id: `$${dimension}.v` } }, { $count: "count" }])
    .toArray();
  return row?.count ?? 0;
}
