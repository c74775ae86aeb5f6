// What detection carries from one checkpoint to the next, in one document
// rewritten by each checkpoint's writer: the failed logs of the last window
// (which a burst spanning two checkpoints needs), packed like settlements'
// summaries, and the alerts it may still extend (active-alerts.ts).
import type { Binary, Db } from "mongodb";
import type { DetectableLog } from "@/lib/anomaly";
import { COLLECTIONS } from "@/lib/db/collections";
import { summariesOf, summaryColumns, type LogSummary, type SummaryColumns } from "@/lib/logs/summaries";
import { packActiveAlerts, unpackActiveAlerts, type ActiveAlerts } from "./active-alerts";

const STATE_ID = "anomaly_tail";

// States written before packing hold an array of logs; before the active set, none.
type StoredState = { _id: string; checkpoint: number; logs: SummaryColumns | DetectableLog[]; active?: Binary; active_since?: Date };

/** `checkpoint`: the last one whose detection wrote the state (0 before any). */
export type DetectionState = { checkpoint: number; carried: LogSummary[]; active: ActiveAlerts | null };

function states(db: Db) {
  return db.collection<StoredState>(COLLECTIONS.anomalyTail);
}

export async function readDetectionState(db: Db): Promise<DetectionState> {
  const state = await states(db).findOne({ _id: STATE_ID });
  if (!state) return { checkpoint: 0, carried: [], active: null };
  // Detection ignores sequences, which states written before packing lack.
  const carried = Array.isArray(state.logs) ? state.logs.map((log) => ({ ...log, sequence: 0 })) : [...summariesOf(state.logs)];
  return { checkpoint: state.checkpoint, carried, active: activeOf(state) };
}

/** The active alerts alone, for readers overlaying them on the stored alerts. */
export async function readActiveAlerts(db: Db): Promise<ActiveAlerts | null> {
  const state = await states(db).findOne({ _id: STATE_ID }, { projection: { active: 1, active_since: 1 } });
  return state ? activeOf(state) : null;
}

export async function writeDetectionState(db: Db, checkpoint: number, { carried, active }: { carried: LogSummary[]; active: ActiveAlerts }): Promise<void> {
  // Detection reads none of the searched fields (message, metadata, source): they are not carried.
  const logs = summaryColumns(carried.map(({ log_id, source: _source, message: _message, metadata: _metadata, ...rest }) => ({ _id: log_id, ...rest })));
  await states(db).replaceOne({ _id: STATE_ID }, { checkpoint, logs, active: packActiveAlerts(active.alerts), active_since: active.since }, { upsert: true });
}

function activeOf(state: Pick<StoredState, "active" | "active_since">): ActiveAlerts | null {
  return state.active && state.active_since ? { since: state.active_since, alerts: unpackActiveAlerts(state.active) } : null;
}
