// Every write to the search layout's day lists, bounds and state is made by
// its one writer, the holder of a lease: a checkpoint's derivation, a step of
// retention's purge, or a flush of a rebuild. Each rewrites a day from the
// version it read, and nothing else can make that safe: the embedded server
// has no atomic compare-and-set, and two checkpoint writers may derive the
// same checkpoint at once (one finishing what it thinks the other abandoned).
// Readers take no lease. A holder keeps it for about a second, so a
// derivation waits at most that long (or a term's expiry, if the holder died).
import { setTimeout as sleep } from "node:timers/promises";
import type { Db } from "mongodb";
import { withLease, type HeldLease } from "@/lib/platform/db/lease";

const LAYOUT_WRITER = "search-layout-writer";
const TTL_MS = 30_000;
/** Long enough for a dead holder's term to expire. */
const WAIT_MS = 2 * TTL_MS;
const POLL_MS = 50;
/** How long a step of a long job holds the lease, and how long it then lets waiting writers in. */
const STEP_MS = 1_000;
const PAUSE_MS = 3 * POLL_MS;

export function asLayoutWriter<T>(db: Db, work: (lease: HeldLease) => Promise<T>): Promise<T> {
  return withLease(db, LAYOUT_WRITER, { ttlMs: TTL_MS, waitMs: WAIT_MS, pollMs: POLL_MS }, work);
}

/** Calls `work` for each item as the layout's writer, in steps of about a second with a pause between them. */
export async function forEachAsLayoutWriter<T>(
  db: Db,
  items: readonly T[],
  work: (item: T, lease: HeldLease) => Promise<void>,
): Promise<void> {
  let next = 0;
  while (next < items.length) {
    await asLayoutWriter(db, async (lease) => {
      const started = Date.now();
      while (next < items.length && Date.now() - started < STEP_MS) await work(items[next++]!, lease);
    });
    if (next < items.length) await sleep(PAUSE_MS);
  }
}
