// Detection over stored logs: the baseline of the period before the analysed
// range (from the checkpoints' per-day tallies and the search layout, else
// counted from the logs collection), then the range's logs in time order
// streamed through the detector, so memory holds the detector's window and the
// findings, never the logs.
import type { Db } from "mongodb";
import { logsCollection } from "@/lib/records/logs/collection";
import type { LogCriteria } from "@/lib/records/logs/filters";
import { logFilterQuery } from "@/lib/records/logs/criteria-query";
import { searchLogs } from "@/lib/derived/search/read";
import { createBaselineBuilder, baselineRange } from "@/lib/records/anomaly/baseline";
import type { DetectionConfig } from "@/lib/foundation/detection-config";
import { createDetector } from "@/lib/records/anomaly/detector";
import { compareFindings, detectableLogOf, type DetectableLog, type Finding } from "@/lib/records/anomaly/finding";
import type { AnomalyRange } from "@/lib/records/anomaly/range-params";
import { readPeriodBaseline, type PeriodBaseline, type PeriodCriteria } from "./period-baseline";

const PROJECTION = { _id: 1, time: 1, ip: 1, user: 1, action: 1, status: 1 } as const;
const BATCH_SIZE = 1_000;

export type FindAnomaliesResult = { findings: Finding[]; analysed: number; baselineLogs: number };
/** How far detection has read the range: logs analysed, and the time of the last one. */
export type DetectionProgress = { analysed: number; through: Date };

/** Findings of the logs whose time lies in [from, to], judged against the baseline before `from`. */
export async function findAnomalies(db: Db, range: AnomalyRange, config: DetectionConfig): Promise<Finding[]> {
  return (await findAnomaliesWithStats(db, range, config)).findings;
}

/** What detection reads: the baseline period's successes, then every log of the range; each in time order. */
export function detectionReads(
  { from, to }: Pick<AnomalyRange, "from" | "to">,
  config: DetectionConfig,
): { baseline: PeriodCriteria; analysed: LogCriteria } {
  const period = baselineRange(from, config);
  // Only successful events make a baseline; its end is exclusive (times are whole milliseconds).
  return {
    baseline: { from: period.start, to: new Date(period.end.getTime() - 1), status: ["success"] },
    analysed: { from, to },
  };
}

export async function findAnomaliesWithStats(
  db: Db,
  range: AnomalyRange,
  config: DetectionConfig,
): Promise<FindAnomaliesResult> {
  const findings: Finding[] = [];
  const stats = await streamAnomalies(db, range, config, (batch) => void findings.push(...batch));
  return { findings: findings.sort(compareFindings), ...stats };
}

/**
 * The same findings handed to `onFindings` as they close (each batch sorted,
 * the whole roughly by start), so a caller that writes them out holds only
 * the detector's window, however many there are; `onProgress` hears how far
 * the read has come every BATCH_SIZE logs.
 */
export async function streamAnomalies(
  db: Db,
  { from, to, types }: AnomalyRange,
  config: DetectionConfig,
  onFindings: (batch: Finding[]) => void | Promise<void>,
  { onProgress }: { onProgress?: (progress: DetectionProgress) => void | Promise<void> } = {},
): Promise<Omit<FindAnomaliesResult, "findings">> {
  const reads = detectionReads({ from, to }, config);
  const { baseline, logs: baselineLogs } =
    (await readPeriodBaseline(db, reads.baseline, config)) ?? (await countBaseline(db, reads.baseline, config));

  const wanted = types === undefined ? undefined : new Set(types);
  const hand = async (batch: Finding[]) => {
    const kept = wanted === undefined ? batch : batch.filter((finding) => wanted.has(finding.type));
    if (kept.length > 0) await onFindings(kept);
  };
  const detector = createDetector(config, { baseline });
  let analysed = 0;
  for await (const log of timeOrdered(db, reads.analysed)) {
    detector.push(log);
    if (++analysed % BATCH_SIZE !== 0) continue;
    await hand(detector.flush());
    await onProgress?.({ analysed, through: log.time });
  }
  await hand(detector.finish());
  return { analysed, baselineLogs };
}

async function countBaseline(db: Db, criteria: PeriodCriteria, config: DetectionConfig): Promise<PeriodBaseline> {
  const builder = createBaselineBuilder(config);
  let logs = 0;
  for await (const log of timeOrdered(db, criteria)) {
    builder.push(log);
    logs++;
  }
  return { baseline: builder.build(), logs };
}

/** The logs the criteria match, oldest first: from the search layout (with the logs not derived yet), or the logs collection without a whole layout. */
export async function* timeOrdered(db: Db, criteria: LogCriteria): AsyncGenerator<DetectableLog> {
  const entries = await searchLogs(db, criteria, { direction: "asc" });
  if (entries) {
    for await (const { log_id, time, ip, user, action, status } of entries)
      yield { log_id, time, ip, user, action, status };
    return;
  }
  const cursor = logsCollection(db)
    .find(logFilterQuery(criteria), { projection: PROJECTION, batchSize: BATCH_SIZE })
    .sort({ time: 1, sequence: 1 });
  for await (const log of cursor) yield detectableLogOf(log);
}
