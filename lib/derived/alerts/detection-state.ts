// What detection carries from one checkpoint to the next: the failed logs of
// the last two windows and the recent sign-in successes (which a burst
// spanning checkpoints, and a success after it, need: detect.ts), packed like
// settlements' summaries, and the alerts it may still extend
// (active-alerts.ts). One document per checkpoint, inserted once and never
// rewritten by a derivation: checkpoint N is judged from the state of the
// latest checkpoint before N, so a writer finishing N again, or one that is
// still deriving N when another has moved on to N+1, reads and writes what
// the first did and cannot overwrite a later state.
import type { Binary, Db } from "mongodb";
import { FINDING_TYPES, type DetectableLog, type FindingType } from "@/lib/records/anomaly";
import { COLLECTIONS } from "@/lib/platform/db/collections";
import { isDuplicateKeyError } from "@/lib/platform/db/errors";
import { packedJsonText, packJson } from "@/lib/platform/db/packed-json";
import { summariesOf, summaryColumns, type LogSummary, type SummaryColumns } from "@/lib/records/logs/summaries";
import { packActiveAlerts, unpackActiveAlerts, type ActiveAlerts } from "./active-alerts";

// "anomaly_tail:N" for checkpoint N; "anomaly_tail" alone is the one document
// an older database keeps, rewritten at each checkpoint. The collection holds
// other documents (silence-state.ts): detection's are the ids in this range.
const ID_PREFIX = "anomaly_tail";
const OWN_IDS = { $gte: ID_PREFIX, $lt: `${ID_PREFIX};` };
const NEWEST_FIRST = { checkpoint: -1 } as const;

// States written before packing hold an array of logs; before the active set, none; before `counted`, none.
type StoredState = {
  _id: string;
  checkpoint: number;
  logs: SummaryColumns | DetectableLog[];
  counted?: Binary;
  active?: Binary;
  active_since?: Date;
};

/**
 * `checkpoint`: the one whose detection wrote the state (0 before any).
 * `counted`: the finding types each carried log was counted in so far.
 */
export type DetectionState = {
  checkpoint: number;
  carried: LogSummary[];
  counted: CountedTypes;
  active: ActiveAlerts | null;
};
export type CountedTypes = ReadonlyMap<string, readonly FindingType[]>;

function states(db: Db) {
  return db.collection<StoredState>(COLLECTIONS.anomalyTail);
}

/** The state checkpoint N starts from: the newest written by a checkpoint before N. */
export async function readDetectionStateBefore(db: Db, checkpoint: number): Promise<DetectionState> {
  return detectionStateOf(
    await states(db).findOne({ _id: OWN_IDS, checkpoint: { $lt: checkpoint } }, { sort: NEWEST_FIRST }),
  );
}

/** The newest state, whichever checkpoint wrote it. */
export async function readLatestDetectionState(db: Db): Promise<DetectionState> {
  return detectionStateOf(await states(db).findOne({ _id: OWN_IDS }, { sort: NEWEST_FIRST }));
}

function detectionStateOf(state: StoredState | null): DetectionState {
  if (!state) return { checkpoint: 0, carried: [], counted: new Map(), active: null };
  // Detection ignores sequences, which states written before packing lack.
  const carried = Array.isArray(state.logs)
    ? state.logs.map((log) => ({ ...log, sequence: 0 }))
    : [...summariesOf(state.logs)];
  // States written before `counted` carried failures only, which their detection counted wherever they belonged.
  const counted: CountedTypes = state.counted
    ? new Map(JSON.parse(packedJsonText(state.counted)) as [string, FindingType[]][])
    : new Map(carried.map((log) => [log.log_id, FINDING_TYPES]));
  return { checkpoint: state.checkpoint, carried, counted, active: activeOf(state) };
}

/** The active alerts alone, for readers overlaying them on the stored alerts. */
export async function readActiveAlerts(db: Db): Promise<ActiveAlerts | null> {
  const state = await states(db).findOne(
    { _id: OWN_IDS },
    { sort: NEWEST_FIRST, projection: { active: 1, active_since: 1 } },
  );
  return state ? activeOf(state) : null;
}

type StateContent = { carried: LogSummary[]; counted: CountedTypes; active: ActiveAlerts };

/**
 * Records what checkpoint N's detection leaves (the first writer's document
 * stands), then drops the states before the one N was judged from, which a
 * writer finishing N again still needs.
 */
export async function writeDetectionState(
  db: Db,
  checkpoint: number,
  judgedFrom: number,
  content: StateContent,
): Promise<void> {
  try {
    await states(db).insertOne(storedState(checkpoint, content));
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
  await states(db).deleteMany({ _id: OWN_IDS, checkpoint: { $lt: judgedFrom } });
}

/** Changes the newest state in place: for findings stored outside a checkpoint, while none derives. */
export async function replaceLatestDetectionState(db: Db, checkpoint: number, content: StateContent): Promise<void> {
  const { _id, ...state } = storedState(checkpoint, content);
  await states(db).replaceOne({ _id }, state, { upsert: true });
}

function storedState(checkpoint: number, { carried, counted, active }: StateContent): StoredState {
  return {
    _id: `${ID_PREFIX}:${checkpoint}`,
    checkpoint,
    ...packCarried(carried, counted),
    active: packActiveAlerts(active.alerts),
    active_since: active.since,
  };
}

/**
 * How many bytes the carried logs may take packed. A document holds 16 MB at
 * most, and a sender choosing long random log_ids (128 characters, which
 * deflate cannot shrink) could otherwise push the state past it and stop
 * every later derivation; past this, the oldest carried logs are dropped.
 */
export const MAX_CARRIED_BYTES = 8 * 1024 * 1024;

/** The carried logs and what they were counted in, packed, the newest kept within `maxBytes`. */
export function packCarried(
  carried: readonly LogSummary[],
  counted: CountedTypes,
  maxBytes = MAX_CARRIED_BYTES,
): { logs: Binary; counted: Binary; kept: number } {
  let kept = carried;
  for (;;) {
    // Detection reads none of the searched fields (message, metadata, source): they are not carried.
    const logs = summaryColumns(
      kept.map(({ log_id, source: _source, message: _message, metadata: _metadata, ...rest }) => ({
        _id: log_id,
        ...rest,
      })),
    );
    const packedCounted = packJson(
      kept.flatMap((log) => (counted.has(log.log_id) ? [[log.log_id, counted.get(log.log_id)]] : [])),
    );
    const bytes = (logs as Binary).buffer.length + packedCounted.buffer.length;
    if (bytes <= maxBytes || kept.length === 0)
      return { logs: logs as Binary, counted: packedCounted, kept: kept.length };
    kept = kept.slice(kept.length - Math.floor((kept.length * 0.9 * maxBytes) / bytes));
  }
}

function activeOf(state: Pick<StoredState, "active" | "active_since">): ActiveAlerts | null {
  return state.active && state.active_since
    ? { since: state.active_since, alerts: unpackActiveAlerts(state.active) }
    : null;
}
