// Rebuilds the stored per-user baselines from the logs themselves, folding
// each day's checkpoints in order exactly as the checkpoints did, so the
// result equals the live documents. Streams the logs once, in any order;
// memory grows with days × checkpoints × users, not with the logs. Run it
// with the app stopped: a checkpoint written meanwhile would be lost.
import type { Db } from "mongodb";
import type { DetectionConfig } from "@/lib/records/anomaly";
import { addToDay, utcDay, type BaselineDay } from "@/lib/records/anomaly/baseline-days";
import { createTallyCounter, type UserTally } from "@/lib/records/anomaly/baseline";
import { checkpointsCollection } from "@/lib/records/integrity/checkpoints";
import { createCheckpointLookup } from "@/lib/records/integrity/checkpoint-ranges";
import { logsCollection } from "@/lib/records/logs/collection";
import { baselinesCollection } from "./baseline-store";

export type BaselineRebuildResult = { checkpoints: number; logs: number; documents: number };

export async function rebuildBaselines(db: Db, config: DetectionConfig): Promise<BaselineRebuildResult> {
  const ranges = await checkpointsCollection(db)
    .find({}, { projection: { _id: 1, end_sequence: 1 } })
    .sort({ _id: 1 })
    .toArray();
  const last = ranges.at(-1);
  await baselinesCollection(db).deleteMany({});
  if (!last) return { checkpoints: 0, logs: 0, documents: 0 };

  const checkpointOf = createCheckpointLookup(ranges);
  const count = createTallyCounter(config);
  // day → checkpoint → user → tally
  const days = new Map<string, Map<number, Map<string, UserTally>>>();
  let logs = 0;
  const cursor = logsCollection(db).find(
    { sequence: { $lt: last.end_sequence }, status: "success" },
    { projection: { _id: 1, sequence: 1, time: 1, ip: 1, user: 1, action: 1, status: 1 } },
  );
  for await (const log of cursor) {
    const day = utcDay(log.time.getTime());
    const checkpoint = checkpointOf(log.sequence);
    let byCheckpoint = days.get(day);
    if (byCheckpoint === undefined) days.set(day, (byCheckpoint = new Map()));
    let users = byCheckpoint.get(checkpoint);
    if (users === undefined) byCheckpoint.set(checkpoint, (users = new Map()));
    if (count(users, { ...log, log_id: log._id })) logs++;
  }

  let documents = 0;
  for (const [day, byCheckpoint] of days) {
    let doc: BaselineDay | null = null;
    for (const checkpoint of [...byCheckpoint.keys()].sort((a, b) => a - b))
      doc = addToDay(doc, day, checkpoint, byCheckpoint.get(checkpoint)!, config.timeZone);
    if (doc === null) continue;
    await baselinesCollection(db).insertOne(doc);
    documents++;
  }
  return { checkpoints: ranges.length, logs, documents };
}
