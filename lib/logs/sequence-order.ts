// Logs in sequence order without the server sorting them: the embedded server
// sorts in memory, holding every log it sorts (~9 KB each: 972 MB for a 105k
// store). The collection's natural order follows insertion, so it nearly
// follows sequence (concurrent requests interleave their blocks), and a
// bounded buffer puts it back in order. A log further from its place than the
// buffer holds (after a restore or a VACUUM) ends the stream with
// OutOfOrderError; the caller then reads again, sorted by the server.
import type { Db, Filter } from "mongodb";
import { ReorderBuffer } from "@/lib/util/reorder-buffer";
import { logsCollection } from "./collection";
import type { StoredLog } from "./record";

const REORDER_LIMIT = 20_000;
const BATCH_SIZE = 1_000;

export class OutOfOrderError extends Error {
  override name = "OutOfOrderError";
}

export async function* logsInSequenceOrder(db: Db, filter: Filter<StoredLog>, limit = REORDER_LIMIT): AsyncGenerator<StoredLog> {
  const released: StoredLog[] = [];
  const buffer = new ReorderBuffer<StoredLog>(Number.POSITIVE_INFINITY, limit, (log) => void released.push(log));
  for await (const log of logsCollection(db).find(filter, { batchSize: BATCH_SIZE })) {
    if (!buffer.push(log, log.sequence)) {
      throw new OutOfOrderError(`log ${log._id} (sequence ${log.sequence}) is stored more than ${limit} logs from its place`);
    }
    yield* released.splice(0);
  }
  buffer.releaseAll();
  yield* released.splice(0);
}

/** The same logs sorted by the server: for when the natural order is too far off. */
export async function* logsSortedBySequence(db: Db, filter: Filter<StoredLog>): AsyncGenerator<StoredLog> {
  yield* logsCollection(db).find(filter, { batchSize: BATCH_SIZE }).sort({ sequence: 1 });
}
