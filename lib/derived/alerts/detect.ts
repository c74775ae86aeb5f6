// Detection as part of each checkpoint's derived data: the checkpoint's logs,
// after the failed logs carried over from the previous checkpoints' last
// window, go through the streaming detector; its findings become alerts
// (merged per subject and window into the alerts it may still extend, which
// the detection state carries: active-alerts.ts). Every rule runs here: new
// IP and rare hour judge each user against the per-user baseline that earlier
// checkpoints stored (baseline-store.ts; history as
// lib/records/anomaly/baseline-days.ts defines it), which then takes in this
// checkpoint's successes. source_silent runs at every checkpoint, with logs
// or without: it judges the checkpoint's time against what earlier ones kept
// of each source (silence-state.ts). A finding that creates an alert is
// stored suppressed when a suppression rule active at the checkpoint's time
// covers it (the time it was signed, so deriving it again judges alike).
import { randomUUID } from "node:crypto";
import type { Db } from "mongodb";
import {
  createDetector,
  type Counting,
  type DetectionConfig,
  type Finding,
  type FindingType,
} from "@/lib/records/anomaly";
import { attemptActionTest } from "@/lib/foundation/detection-config";
import { advanceSourceSilence } from "@/lib/records/anomaly/source-silence";
import type { SignedCheckpoint } from "@/lib/records/integrity/checkpoint-record";
import type { LogSummary } from "@/lib/records/logs/summaries";
import { alertsEndingSince, nextActiveAlerts, saveLaggingAlerts, workingAlertOf } from "./active-alerts";
import { type WorkingAlert } from "./alert-record";
import type { Alert } from "./alert-record";
import { readCheckpointHistory, recordCheckpointHistory } from "./baseline-store";
import {
  readDetectionStateBefore,
  readLatestDetectionState,
  replaceLatestDetectionState,
  writeDetectionState,
} from "./detection-state";
import { mergeFindings, type MergeOptions } from "./merge-findings";
import { readSilenceStateBefore, writeSilenceState } from "./silence-state";
import { storeAlerts } from "./store-alerts";
import { readSuppressionMatcher } from "./suppression-store";

/**
 * Failures, and successes, carried over at most; beyond that the oldest are
 * dropped (a burst that size is found anyway). Detection goes over them again
 * at every checkpoint; the state's byte bound (detection-state.ts) may keep fewer.
 */
const MAX_CARRIED = 200_000;

/** The alerts created, and every alert detection could have changed as it stands after (for the rollups' tallies). */
export type CheckpointAlerts = { created: Alert[]; after: WorkingAlert[] };

type SuppressedBy = NonNullable<MergeOptions["suppressedBy"]>;

/** A checkpoint as detection knows it: its number and its time, the "now" of source_silent and of suppression rules. */
export type DetectedCheckpoint = Pick<SignedCheckpoint, "number" | "created_at">;

/**
 * Runs detection for the checkpoint and stores what it found. `beforeChanges`
 * is given the alerts detection may change, before anything is written.
 */
export async function detectAtCheckpoint(
  db: Db,
  checkpoint: DetectedCheckpoint,
  logs: LogSummary[],
  config: DetectionConfig,
  beforeChanges: (alerts: WorkingAlert[]) => Promise<void> = async () => {},
): Promise<CheckpointAlerts> {
  const suppressedBy = await readSuppressionMatcher(db, checkpoint.created_at);
  const fromLogs = await detectInLogs(db, checkpoint.number, logs, config, suppressedBy, beforeChanges);
  // After detectInLogs: the alerts it hands to beforeChanges must not yet hold these new ones.
  const silent = await detectSilentSources(db, checkpoint, logs, config, suppressedBy);
  const after = new Map(fromLogs.after.map((alert) => [alert._id, alert]));
  for (const alert of silent.alerts) if (!after.has(alert._id)) after.set(alert._id, workingAlertOf(alert));
  return { created: [...fromLogs.created, ...silent.created], after: [...after.values()] };
}

async function detectInLogs(
  db: Db,
  checkpoint: number,
  logs: LogSummary[],
  config: DetectionConfig,
  suppressedBy: SuppressedBy,
  beforeChanges: (alerts: WorkingAlert[]) => Promise<void>,
): Promise<CheckpointAlerts> {
  const state = await readDetectionStateBefore(db, checkpoint);
  const events = [...state.carried, ...logs];
  if (events.length === 0) return { created: [], after: [] };
  events.sort((a, b) => a.time.getTime() - b.time.getTime());

  // A finding starts no earlier than the earliest event, and extends only alerts ending within the merge gap before it.
  const since = new Date(events[0]!.time.getTime() - config.windowMs);
  const { alerts, coveredFrom } = await alertsEndingSince(db, since, state.active);
  await beforeChanges(alerts.map((alert) => ({ ...alert })));

  const history = await readCheckpointHistory(db, checkpoint, logs, config);
  const countedNow = new Map<string, Set<FindingType>>();
  const counting: Counting = {
    countedBefore: (logId, type) => state.counted.get(logId)?.includes(type) ?? false,
    counted: (logId, type) => void countedNow.set(logId, (countedNow.get(logId) ?? new Set()).add(type)),
  };
  const detector = createDetector(config, { baseline: history.baseline, counting });
  const findings: Finding[] = [];
  for (const event of events) {
    detector.push(event);
    findings.push(...detector.flush());
  }
  findings.push(...detector.finish());
  const created = mergeFindings(alerts, findings, {
    mergeGapMs: config.windowMs,
    now: new Date(),
    idSeed: `checkpoint:${checkpoint}`,
    suppressedBy,
  });

  // The next checkpoint's events start at most the lateness allowance before the last one here.
  const nextEventsFrom = events.at(-1)!.time.getTime() - config.maxLatenessMs;
  const keepAfter = nextEventsFrom - 2 * config.windowMs;
  const carried = carriedOver(events, { failuresFrom: keepAfter, successesFrom: nextEventsFrom }, config);
  const counted = new Map(
    carried.flatMap((log) => {
      const types = new Set([...(state.counted.get(log.log_id) ?? []), ...(countedNow.get(log.log_id) ?? [])]);
      return types.size > 0 ? [[log.log_id, [...types]] as const] : [];
    }),
  );
  // Later checkpoints see events from keepAfter on, whose findings reach back one merge gap more.
  const next = nextActiveAlerts(alerts, {
    coveredFrom,
    horizon: new Date(keepAfter - config.windowMs),
    previous: state.active?.since ?? null,
  });
  await storeAlerts(db, created);
  await saveLaggingAlerts(db, next.leaving);
  await writeDetectionState(db, checkpoint, state.checkpoint, { carried, counted, active: next.active });
  await recordCheckpointHistory(db, checkpoint, logs, config, history);
  return { created, after: alerts };
}

/**
 * What the next checkpoint's detection needs of these events: the failures
 * from two windows before its own events (a burst spans checkpoints, and a
 * success there may follow a burst that ended up to a window earlier, which
 * only the whole window of failures before that end shows), and the sign-in
 * successes from its events' start on (failures sent just before one may reach
 * the next checkpoint, and success_after_failures must still see it after them).
 */
function carriedOver(
  events: LogSummary[],
  { failuresFrom, successesFrom }: { failuresFrom: number; successesFrom: number },
  config: DetectionConfig,
): LogSummary[] {
  const isAttempt = attemptActionTest(config);
  // Each kind has its own cap: a busy minute of successes must not push out the failures of a burst.
  const failures = events
    .filter((event) => event.status === "failed" && event.time.getTime() >= failuresFrom)
    .slice(-MAX_CARRIED);
  const successes = events
    .filter((event) => event.status !== "failed" && event.time.getTime() >= successesFrom && isAttempt(event.action))
    .slice(-MAX_CARRIED);
  // In the events' order: logs of one millisecond must meet the next detection in the order they were stored.
  const kept = new Set([...failures, ...successes]);
  return events.filter((event) => kept.has(event));
}

/**
 * Raises source_silent at the checkpoint's time (one alert per silence, never
 * merged). `created` leaves out the alerts of a derivation run again after
 * it recorded its state, as detectInLogs does.
 */
async function detectSilentSources(
  db: Db,
  checkpoint: DetectedCheckpoint,
  logs: LogSummary[],
  config: DetectionConfig,
  suppressedBy: SuppressedBy,
): Promise<{ alerts: Alert[]; created: Alert[] }> {
  const read = await readSilenceStateBefore(db, checkpoint.number);
  if (read === null) return { alerts: [], created: [] };
  const { state, findings } = advanceSourceSilence(read.before, logs, checkpoint.created_at, config.silence);
  const alerts = mergeFindings([], findings, {
    mergeGapMs: 0,
    now: new Date(),
    idSeed: `checkpoint:${checkpoint.number}`,
    suppressedBy,
  });
  await storeAlerts(db, alerts);
  if (!read.isRecorded) await writeSilenceState(db, checkpoint.number, read.before, state);
  return { alerts, created: read.isRecorded ? [] : alerts };
}

/**
 * Stores findings as alerts outside a checkpoint (tests and tools, while no
 * checkpoint derives): merged and muted (by the rules active at `now`) like detection's, changed alerts written back
 * at once, the active set kept in step. Returns the alerts created.
 */
export async function recordFindings(
  db: Db,
  findings: Finding[],
  mergeGapMs: number,
  now = new Date(),
): Promise<Alert[]> {
  if (findings.length === 0) return [];
  const state = await readLatestDetectionState(db);
  const earliest = Math.min(...findings.map((finding) => finding.start.getTime()));
  const { alerts } = await alertsEndingSince(db, new Date(earliest - mergeGapMs), state.active);
  const created = mergeFindings(alerts, findings, {
    mergeGapMs,
    now,
    idSeed: randomUUID(),
    suppressedBy: await readSuppressionMatcher(db, now),
  });
  await storeAlerts(db, created);
  await saveLaggingAlerts(db, alerts);
  if (state.active) {
    // The active set holds every alert ending since its start, created ones included.
    const { since } = state.active;
    const active = new Map(state.active.alerts.map((alert) => [alert._id, alert]));
    for (const alert of alerts) if (alert.end >= since) active.set(alert._id, { ...alert, unsaved: false });
    await replaceLatestDetectionState(db, state.checkpoint, {
      carried: state.carried,
      counted: state.counted,
      active: { since, alerts: [...active.values()] },
    });
  }
  return created;
}
