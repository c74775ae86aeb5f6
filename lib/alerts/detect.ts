// Detection as part of each checkpoint's derived data: the checkpoint's logs,
// after the failed logs carried over from the previous checkpoints' last
// window, go through the streaming detector; its findings become alerts
// (merged per subject and window). Every rule runs here: new IP and rare hour
// judge each user against the per-user baseline that earlier checkpoints
// stored (baseline-store.ts; history as lib/anomaly/baseline-days.ts defines
// it), which then takes in this checkpoint's successes.
import type { Db } from "mongodb";
import { createDetector, type DetectableLog, type DetectionConfig, type Finding } from "@/lib/anomaly";
import { COLLECTIONS } from "@/lib/db/collections";
import { summariesOf, summaryColumns, type LogSummary, type SummaryColumns } from "@/lib/logs/summaries";
import { recordFindings, type Alert } from "./alerts";
import { readCheckpointHistory, recordCheckpointHistory } from "./baseline-store";

const TAIL_ID = "anomaly_tail";
/** Failed logs carried over at most; beyond that the oldest are dropped (a burst that size is found anyway). */
const MAX_CARRIED = 50_000;

// Packed like settlements' summaries (read and rewritten at every checkpoint);
// tails written before that hold an array of logs.
type CarriedLogs = { _id: string; checkpoint: number; logs: SummaryColumns | DetectableLog[] };

function tails(db: Db) {
  return db.collection<CarriedLogs>(COLLECTIONS.anomalyTail);
}

/** Findings among `logs` (and the carried failures before them), stored as alerts; returns the alerts created. */
export async function detectAtCheckpoint(db: Db, checkpoint: number, logs: LogSummary[], config: DetectionConfig): Promise<Alert[]> {
  const carried = await readCarriedLogs(db);
  const events = [...carried, ...logs];
  if (events.length === 0) return [];
  events.sort((a, b) => a.time.getTime() - b.time.getTime());

  const history = await readCheckpointHistory(db, checkpoint, logs, config);
  const detector = createDetector(config, { baseline: history.baseline });
  const findings: Finding[] = [];
  for (const event of events) {
    detector.push(event);
    findings.push(...detector.flush());
  }
  findings.push(...detector.finish());

  const newest = events.at(-1)!.time.getTime();
  const keepAfter = newest - config.windowMs - config.maxLatenessMs;
  const nextCarried = events.filter((event) => event.status === "failed" && event.time.getTime() >= keepAfter).slice(-MAX_CARRIED);
  const packed = summaryColumns(nextCarried.map(({ log_id, ...rest }) => ({ _id: log_id, ...rest })));
  await tails(db).replaceOne({ _id: TAIL_ID }, { checkpoint, logs: packed }, { upsert: true });
  await recordCheckpointHistory(db, checkpoint, logs, config, history);
  return recordFindings(db, findings, config.windowMs);
}

/** The failed logs carried over from earlier checkpoints, which detection sees before a checkpoint's own. */
export async function readCarriedLogs(db: Db): Promise<LogSummary[]> {
  const tail = await tails(db).findOne({ _id: TAIL_ID });
  if (!tail) return [];
  // Detection ignores sequences, which tails written before packing lack.
  return Array.isArray(tail.logs) ? tail.logs.map((log) => ({ ...log, sequence: 0 })) : [...summariesOf(tail.logs)];
}
