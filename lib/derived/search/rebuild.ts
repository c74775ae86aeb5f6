// Rebuilding the search layout from the logs themselves: on a database from
// before the layout (at app start: upgrade.ts), after a restore, or to prove
// it right, while ingestion and checkpoints go on. One rebuild runs at a time
// (a lease, renewed while it runs). As the layout's writer (layout-writer.ts)
// it records that it holds the logs of every checkpoint through the latest,
// L (their derivations, even those still to come, add nothing), marks the
// layout as rebuilding (readers use the logs collection until it ends) and
// removes the old layout. Then it streams the logs below L's end into new
// parts, storing them a flush at a time as the layout's writer, so that
// checkpoints after L add their own parts in between; logs retention purged
// meanwhile are left out. A rebuild that stops leaves the layout marked
// rebuilding, and the next one starts over.
import type { Db } from "mongodb";
import { tryLease, type HeldLease } from "@/lib/platform/db/lease";
import { latestCheckpoint } from "@/lib/records/integrity/checkpoints";
import { logsCollection } from "@/lib/records/logs/collection";
import type { LogSummary } from "@/lib/records/logs/summaries";
import { rebuiltPartId, searchDays, searchParts, searchState, STATE_ID } from "./layout";
import { asLayoutWriter } from "./layout-writer";
import { groupByHour, newPart, storeParts } from "./write";

const REBUILD_LEASE = "search-layout-rebuild";
const REBUILD_TTL_MS = 60_000;
const LOGS_PER_FLUSH = 20_000;
const SUMMARY_FIELDS = {
  _id: 1,
  sequence: 1,
  time: 1,
  ip: 1,
  user: 1,
  action: 1,
  status: 1,
  source: 1,
  message: 1,
  metadata: 1,
  ingested_by: 1,
} as const;

export type SearchRebuildResult = { checkpoint: number; logs: number; parts: number };
/** `expected`: the sequences below L's end that retention has not purged, an upper bound of the logs to read. */
export type RebuildProgress = { logs: number; expected: number };
export type RebuildOptions = {
  logsPerFlush?: number;
  /** Called with the rebuild lease held, before the layout is removed. */
  beforeStart?: () => Promise<void>;
  /** Called after each flush; the rebuild waits for it. */
  onProgress?: (progress: RebuildProgress) => void | Promise<void>;
};

export async function rebuildSearchLayout(db: Db, options: RebuildOptions = {}): Promise<SearchRebuildResult> {
  const result = await tryRebuildSearchLayout(db, options);
  if (!result) throw new Error("the search layout is being rebuilt by another process; try again when it has finished");
  return result;
}

/** The rebuild, or null when another process is rebuilding. */
export async function tryRebuildSearchLayout(
  db: Db,
  options: RebuildOptions = {},
): Promise<SearchRebuildResult | null> {
  const lease = await tryLease(db, REBUILD_LEASE, { ttlMs: REBUILD_TTL_MS });
  if (!lease) return null;
  try {
    await options.beforeStart?.();
    return await rebuildHolding(db, lease, options);
  } finally {
    await lease.release();
  }
}

async function rebuildHolding(
  db: Db,
  lease: HeldLease,
  { logsPerFlush = LOGS_PER_FLUSH, onProgress }: RebuildOptions,
): Promise<SearchRebuildResult> {
  const { through, purgedBelow } = await removeLayout(db, lease);
  const expected = Math.max(0, through.end_sequence - Math.max(1, purgedBelow));
  let logs = 0;
  let parts = 0;
  let pending: LogSummary[] = [];
  const flush = async () => {
    await asLayoutWriter(db, async (writer) => {
      lease.assertHeld();
      const below = (await searchState(db).findOne({ _id: STATE_ID }))?.purged_below ?? 0;
      const kept = [...groupByHour(pending.filter((log) => log.sequence >= below))];
      await storeParts(
        db,
        writer,
        kept.map(([hour, entries]) => newPart(rebuiltPartId(hour, through.number, parts++), hour, entries)),
        through.number,
        { once: false },
      );
    });
    pending = [];
    await onProgress?.({ logs, expected });
  };
  for await (const { _id, ...log } of logsCollection(db).find(
    { sequence: { $lt: through.end_sequence } },
    { projection: SUMMARY_FIELDS },
  )) {
    pending.push({ log_id: _id, ...log });
    logs++;
    if (pending.length >= logsPerFlush) await flush();
  }
  await flush();
  await asLayoutWriter(db, async (writer) => {
    lease.assertHeld();
    writer.assertHeld();
    await searchState(db).updateOne({ _id: STATE_ID }, { $unset: { rebuilding: "" } });
  });
  return { checkpoint: through.number, logs, parts };
}

/** As the layout's writer: the latest checkpoint L, recorded as the one the rebuild holds the logs through, with the old layout removed. */
async function removeLayout(db: Db, lease: HeldLease) {
  return asLayoutWriter(db, async (writer) => {
    const head = await latestCheckpoint(db);
    const through = { number: head?.number ?? 0, end_sequence: head?.end_sequence ?? 1 };
    lease.assertHeld();
    writer.assertHeld();
    // Gaps recorded so far are checkpoints through L, which the rebuild covers.
    const state = await searchState(db).findOneAndUpdate(
      { _id: STATE_ID },
      {
        $set: { since: 1, rebuilding: true, rebuilt_through: through.number },
        $unset: { gap_at: "", first_day: "", last_day: "" },
      },
      { upsert: true, returnDocument: "after" },
    );
    await searchParts(db).deleteMany({});
    await searchDays(db).deleteMany({});
    return { through, purgedBelow: state?.purged_below ?? 0 };
  });
}
