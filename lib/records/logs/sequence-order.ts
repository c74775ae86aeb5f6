// Logs in sequence order. MongoDB reads them from the sequence index; the
// embedded server would sort in memory, holding every log it sorts (~9 KB
// each: 972 MB for a 105k store), so there they are read in the collection's
// natural order, which follows insertion and so nearly follows sequence
// (concurrent requests interleave their blocks), and a bounded buffer puts it
// back in order. A restore into a store that holds logs inserts old sequences
// at the end: it lists them (misplaced-logs.ts), and readers fetch those by
// log_id and merge them in. Too many listed, the server sorts. A log further
// from its place than the buffer holds otherwise ends the stream with
// OutOfOrderError; the caller then reads again, sorted by the server
// (orSortedOnOutOfOrder).
import type { Db } from "mongodb";
import { findByIds } from "@/lib/platform/db/find-by-ids";
import { isFerretDb } from "@/lib/platform/db/server-kind";
import { ReorderBuffer } from "@/lib/foundation/util/reorder-buffer";
import { logsCollection } from "./collection";
import { readMisplacedLogs, type MisplacedLog } from "./misplaced-logs";
import type { StoredLog } from "./record";

const REORDER_LIMIT = 20_000;
const BATCH_SIZE = 1_000;

/** Sequences from `from` (inclusive) to `to` (exclusive); either open. */
export type SequenceRange = { from?: number; to?: number };
export type LogProjection = Partial<Record<keyof StoredLog, 1>>;

export class OutOfOrderError extends Error {
  override name = "OutOfOrderError";
}

/** The logs of `range` in sequence order (on the embedded server, sorted by it only when the natural order is known to be far off). */
export async function* logsInOrder(
  db: Db,
  range: SequenceRange,
  projection?: LogProjection,
  limit = REORDER_LIMIT,
): AsyncGenerator<StoredLog> {
  const misplaced = (await isFerretDb(db)) ? await readMisplacedLogs(db) : null;
  if (misplaced === null || misplaced === "too_many") yield* logsSortedBySequence(db, range, projection);
  else yield* logsInNaturalOrder(db, range, { projection, limit, misplaced });
}

export async function* logsInNaturalOrder(
  db: Db,
  range: SequenceRange,
  {
    projection,
    limit = REORDER_LIMIT,
    misplaced = [],
  }: { projection?: LogProjection; limit?: number; misplaced?: readonly MisplacedLog[] } = {},
): AsyncGenerator<StoredLog> {
  const inRange = (sequence: number) =>
    (range.from === undefined || sequence >= range.from) && (range.to === undefined || sequence < range.to);
  const aside = new Set(misplaced.map(([id]) => id));
  const options = projection && { projection: { ...projection, sequence: 1 as const } };
  const fetched = await findByIds(
    logsCollection(db),
    misplaced.filter(([, sequence]) => inRange(sequence)).map(([id]) => id),
    options,
  );
  // Merged in as the buffer releases the logs around them (a log restored again since sits at its listed sequence).
  const pending = [...fetched.values()].filter((log) => inRange(log.sequence)).sort((a, b) => b.sequence - a.sequence);
  const released: StoredLog[] = [];
  const buffer = new ReorderBuffer<StoredLog>(Number.POSITIVE_INFINITY, limit, (log) => {
    while (pending.length > 0 && pending.at(-1)!.sequence < log.sequence) released.push(pending.pop()!);
    released.push(log);
  });
  for await (const log of logsCollection(db).find(sequenceFilter(range), { batchSize: BATCH_SIZE, ...options })) {
    if (aside.has(log._id)) continue;
    if (!buffer.push(log, log.sequence)) {
      throw new OutOfOrderError(
        `log ${log._id} (sequence ${log.sequence}) is stored more than ${limit} logs from its place`,
      );
    }
    yield* released.splice(0);
  }
  buffer.releaseAll();
  yield* released.splice(0);
  yield* pending.reverse();
}

/**
 * Runs `attempt` reading in order (`serverSorted` false), and once more with
 * the server sorting when a log lay too far from its place; each attempt
 * starts afresh, so it must undo nothing of the first.
 */
export async function orSortedOnOutOfOrder<T>(attempt: (serverSorted: boolean) => Promise<T>): Promise<T> {
  try {
    return await attempt(false);
  } catch (error) {
    if (!(error instanceof OutOfOrderError)) throw error;
    return attempt(true);
  }
}

/** The same logs sorted by the server: for when the natural order is too far off. */
export async function* logsSortedBySequence(
  db: Db,
  range: SequenceRange,
  projection?: LogProjection,
): AsyncGenerator<StoredLog> {
  yield* logsCollection(db)
    .find(sequenceFilter(range), { batchSize: BATCH_SIZE, ...(projection && { projection }) })
    .sort({ sequence: 1 });
}

function sequenceFilter({ from, to }: SequenceRange) {
  return from === undefined && to === undefined
    ? {}
    : { sequence: { ...(from !== undefined && { $gte: from }), ...(to !== undefined && { $lt: to }) } };
}
