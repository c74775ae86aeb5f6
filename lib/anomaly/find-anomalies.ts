// Detection over stored logs: the baseline period, then the analysed range,
// each read as one time-ordered cursor and streamed through the detector, so
// memory holds the detector's window and the findings, never the logs.
import type { Db, Filter } from "mongodb";
import { logsCollection } from "@/lib/logs/collection";
import type { StoredLog } from "@/lib/logs/record";
import { createBaselineBuilder, baselineRange } from "./baseline";
import type { DetectionConfig } from "./config";
import { createDetector } from "./detector";
import { compareFindings, detectableLogOf, type DetectableLog, type Finding } from "./finding";
import type { AnomalyRange } from "./query";

const PROJECTION = { _id: 1, time: 1, ip: 1, user: 1, action: 1, status: 1 } as const;
const BATCH_SIZE = 1_000;

export type FindAnomaliesResult = { findings: Finding[]; analysed: number; baselineLogs: number };

/** Findings of the logs whose time lies in [from, to], judged against the baseline before `from`. */
export async function findAnomalies(db: Db, range: AnomalyRange, config: DetectionConfig): Promise<Finding[]> {
  return (await findAnomaliesWithStats(db, range, config)).findings;
}

/** What detection reads: the baseline period's successes, then every log of the range; each in time order. */
export function detectionReads({ from, to }: Pick<AnomalyRange, "from" | "to">, config: DetectionConfig): { baseline: Filter<StoredLog>; analysed: Filter<StoredLog> } {
  const period = baselineRange(from, config);
  // Only successful events make a baseline.
  return { baseline: { time: { $gte: period.start, $lt: period.end }, status: "success" }, analysed: { time: { $gte: from, $lte: to } } };
}

export async function findAnomaliesWithStats(db: Db, { from, to, types }: AnomalyRange, config: DetectionConfig): Promise<FindAnomaliesResult> {
  const reads = detectionReads({ from, to }, config);
  const builder = createBaselineBuilder(config);
  let baselineLogs = 0;
  for await (const log of timeOrdered(db, reads.baseline)) {
    builder.push(log);
    baselineLogs++;
  }

  const wanted = types === undefined ? undefined : new Set(types);
  const findings: Finding[] = [];
  const keep = (batch: Finding[]) => {
    for (const finding of batch) if (wanted === undefined || wanted.has(finding.type)) findings.push(finding);
  };
  const detector = createDetector(config, { baseline: builder.build() });
  let analysed = 0;
  for await (const log of timeOrdered(db, reads.analysed)) {
    detector.push(log);
    if (++analysed % BATCH_SIZE === 0) keep(detector.flush());
  }
  keep(detector.finish());
  return { findings: findings.sort(compareFindings), analysed, baselineLogs };
}

export async function* timeOrdered(db: Db, filter: Filter<StoredLog>): AsyncGenerator<DetectableLog> {
  const cursor = logsCollection(db)
    .find(filter, { projection: PROJECTION, batchSize: BATCH_SIZE })
    .sort({ time: 1, sequence: 1 });
  for await (const log of cursor) yield detectableLogOf(log);
}
