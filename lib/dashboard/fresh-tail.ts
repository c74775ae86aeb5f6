// The fresh tail: logs settled but not yet in the rollups (their checkpoint is
// not written, or not yet derived), read from the log summaries of the
// settlements, a small collection pruned at each checkpoint. With it the
// dashboard is current to the last settled batch without scanning logs.
import type { Db } from "mongodb";
import { isDerived, settledSummaries } from "@/lib/derived/derive";
import { latestCheckpoint } from "@/lib/integrity/checkpoints";
import { sequenceSettlements } from "@/lib/logs/sequence";
import type { LogSummary } from "@/lib/logs/summaries";
import { quarterOf, type RollupDimension } from "@/lib/rollups/rollups";
import type { TimeWindow } from "./window";

export async function readFreshTail(db: Db): Promise<LogSummary[]> {
  const latest = await latestCheckpoint(db);
  // Checkpoints before the latest are always derived (each writer finishes its predecessor's job first).
  const start = !latest ? 0 : (await isDerived(db, latest.number)) ? latest.end_sequence : latest.start_sequence;
  const settlements = await sequenceSettlements(db)
    .find({ _id: { $gte: start } }, { projection: { summaries: 1 } })
    .toArray();
  return settledSummaries(settlements);
}

export type TailCounts = {
  logs: number;
  /** Per quarter start (ms): logs and failed logs. */
  quarters: Map<number, { total: number; failed: number }>;
  values: Record<RollupDimension, Map<string, { t: number; f: number }>>;
};

/** The tail's logs in [from, to), counted per quarter and per value the way rollups count them. */
export function countTail(tail: LogSummary[], window: TimeWindow): TailCounts {
  const counts: TailCounts = { logs: 0, quarters: new Map(), values: { ips: new Map(), users: new Map(), actions: new Map() } };
  for (const log of tail) {
    if (log.time < window.from || log.time >= window.to) continue;
    const failed = log.status === "failed" ? 1 : 0;
    counts.logs++;
    const quarter = quarterOf(log.time).getTime();
    const sum = counts.quarters.get(quarter) ?? { total: 0, failed: 0 };
    sum.total++;
    sum.failed += failed;
    counts.quarters.set(quarter, sum);
    for (const [dimension, value] of [["ips", log.ip], ["users", log.user], ["actions", log.action]] as const) {
      const entry = counts.values[dimension].get(value) ?? { t: 0, f: 0 };
      entry.t++;
      entry.f += failed;
      counts.values[dimension].set(value, entry);
    }
  }
  return counts;
}
