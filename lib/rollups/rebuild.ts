// Rebuilds the rollups of every checkpoint from the logs themselves: for
// rollups written before they existed, or to prove the live ones right.
// Streams the logs once, in any order; memory grows with checkpoints ×
// quarters × distinct values, not with the number of logs.
import type { Db } from "mongodb";
import { checkpointsCollection } from "@/lib/integrity/checkpoints";
import { logsCollection } from "@/lib/logs/collection";
import { RollupAccumulator, rollupsCollection, type RollupDoc } from "./rollups";

const INSERT_BATCH = 1_000;

export type RebuildResult = { checkpoints: number; logs: number; documents: number };

export async function rebuildRollups(db: Db): Promise<RebuildResult> {
  // Checkpoints written while this runs keep the rollups their writer makes.
  const ranges = await checkpointsCollection(db)
    .find({}, { projection: { _id: 1, start_sequence: 1, end_sequence: 1 } })
    .sort({ _id: 1 })
    .toArray();
  const last = ranges.at(-1);
  if (!last) return { checkpoints: 0, logs: 0, documents: 0 };
  const ends = ranges.map((range) => range.end_sequence);
  const accumulator = new RollupAccumulator();
  let logs = 0;
  const cursor = logsCollection(db)
    .find({ sequence: { $lt: last.end_sequence } }, { projection: { sequence: 1, time: 1, ip: 1, user: 1, action: 1, status: 1 } });
  for await (const log of cursor) {
    accumulator.add(ranges[firstEndAbove(ends, log.sequence)]!._id, log);
    logs++;
  }
  await rollupsCollection(db).deleteMany({ checkpoint: { $lte: last._id } });
  let batch: RollupDoc[] = [];
  let documents = 0;
  for (const doc of accumulator.docs()) {
    batch.push(doc);
    if (batch.length === INSERT_BATCH) {
      await rollupsCollection(db).insertMany(batch);
      documents += batch.length;
      batch = [];
    }
  }
  if (batch.length > 0) await rollupsCollection(db).insertMany(batch);
  return { checkpoints: ranges.length, logs, documents: documents + batch.length };
}

/** Index of the first range whose (exclusive) end is above `sequence`: the checkpoint covering it. */
function firstEndAbove(ends: number[], sequence: number): number {
  let low = 0;
  let high = ends.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (ends[middle]! > sequence) high = middle;
    else low = middle + 1;
  }
  return low;
}
