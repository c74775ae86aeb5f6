// Detection as part of each checkpoint's derived data: the checkpoint's logs,
// after the failed logs carried over from the previous checkpoints' last
// window, go through the streaming detector; its findings become alerts
// (merged per subject and window into the alerts it may still extend, which
// the detection state carries: active-alerts.ts). Every rule runs here: new
// IP and rare hour judge each user against the per-user baseline that earlier
// checkpoints stored (baseline-store.ts; history as
// lib/anomaly/baseline-days.ts defines it), which then takes in this
// checkpoint's successes.
import { randomUUID } from "node:crypto";
import type { Db } from "mongodb";
import { createDetector, type DetectionConfig, type Finding } from "@/lib/anomaly";
import { isOnlyDuplicateKeyErrors } from "@/lib/db/errors";
import type { LogSummary } from "@/lib/logs/summaries";
import { alertsEndingSince, nextActiveAlerts, saveLaggingAlerts, type WorkingAlert } from "./active-alerts";
import { alertsCollection, type Alert } from "./alerts";
import { readCheckpointHistory, recordCheckpointHistory } from "./baseline-store";
import { readDetectionState, writeDetectionState } from "./detection-state";
import { mergeFindings } from "./merge-findings";

/** Failed logs carried over at most; beyond that the oldest are dropped (a burst that size is found anyway). */
const MAX_CARRIED = 50_000;

/** The alerts created, and every alert detection could have changed as it stands after (for the rollups' tallies). */
export type CheckpointAlerts = { created: Alert[]; after: WorkingAlert[] };

/**
 * Runs detection for the checkpoint and stores what it found. `beforeChanges`
 * is given the alerts detection may change, before anything is written.
 */
export async function detectAtCheckpoint(
  db: Db,
  checkpoint: number,
  logs: LogSummary[],
  config: DetectionConfig,
  beforeChanges: (alerts: WorkingAlert[]) => Promise<void> = async () => {},
): Promise<CheckpointAlerts> {
  const state = await readDetectionState(db);
  const events = [...state.carried, ...logs];
  if (events.length === 0) return { created: [], after: [] };
  events.sort((a, b) => a.time.getTime() - b.time.getTime());

  // A finding starts no earlier than the earliest event, and extends only alerts ending within the merge gap before it.
  const since = new Date(events[0]!.time.getTime() - config.windowMs);
  const { alerts, coveredFrom } = await alertsEndingSince(db, since, state.active);
  await beforeChanges(alerts.map((alert) => ({ ...alert })));

  const history = await readCheckpointHistory(db, checkpoint, logs, config);
  const detector = createDetector(config, { baseline: history.baseline });
  const findings: Finding[] = [];
  for (const event of events) {
    detector.push(event);
    findings.push(...detector.flush());
  }
  findings.push(...detector.finish());
  const created = mergeFindings(alerts, findings, { mergeGapMs: config.windowMs, now: new Date(), idSeed: `checkpoint:${checkpoint}` });

  const keepAfter = events.at(-1)!.time.getTime() - config.windowMs - config.maxLatenessMs;
  const carried = events.filter((event) => event.status === "failed" && event.time.getTime() >= keepAfter).slice(-MAX_CARRIED);
  // Later checkpoints see events from keepAfter on, whose findings reach back one merge gap more.
  const next = nextActiveAlerts(alerts, { coveredFrom, horizon: new Date(keepAfter - config.windowMs), previous: state.active?.since ?? null });
  await insertAlerts(db, created);
  await saveLaggingAlerts(db, next.leaving);
  await writeDetectionState(db, checkpoint, { carried, active: next.active });
  await recordCheckpointHistory(db, checkpoint, logs, config, history);
  return { created, after: alerts };
}

/**
 * Stores findings as alerts outside a checkpoint (tests and tools, while no
 * checkpoint derives): merged like detection's, changed alerts written back
 * at once, the active set kept in step. Returns the alerts created.
 */
export async function recordFindings(db: Db, findings: Finding[], mergeGapMs: number, now = new Date()): Promise<Alert[]> {
  if (findings.length === 0) return [];
  const state = await readDetectionState(db);
  const earliest = Math.min(...findings.map((finding) => finding.start.getTime()));
  const { alerts } = await alertsEndingSince(db, new Date(earliest - mergeGapMs), state.active);
  const created = mergeFindings(alerts, findings, { mergeGapMs, now, idSeed: randomUUID() });
  await insertAlerts(db, created);
  await saveLaggingAlerts(db, alerts);
  if (state.active) {
    // The active set holds every alert ending since its start, created ones included.
    const { since } = state.active;
    const active = new Map(state.active.alerts.map((alert) => [alert._id, alert]));
    for (const alert of alerts) if (alert.end >= since) active.set(alert._id, { ...alert, unsaved: false });
    await writeDetectionState(db, state.checkpoint, { carried: state.carried, active: { since, alerts: [...active.values()] } });
  }
  return created;
}

/** Inserts the alerts; one already there was inserted by an earlier run of the same derivation. */
async function insertAlerts(db: Db, alerts: Alert[]): Promise<void> {
  if (alerts.length === 0) return;
  try {
    await alertsCollection(db).insertMany(alerts, { ordered: false });
  } catch (error) {
    if (!isOnlyDuplicateKeyErrors(error)) throw error;
  }
}
