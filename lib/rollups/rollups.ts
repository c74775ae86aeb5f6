// Rollups: counts per 15-minute UTC quarter, overall and per ip, user and
// action, for the dashboard. Each checkpoint's logs become insert-only rollup
// documents keyed by (checkpoint, quarter), written by the one writer that won
// that checkpoint, so no two writers ever update the same document (the
// embedded server's $inc can lose updates). Values such as IP addresses hold
// dots, so they are stored as values in arrays, never as field names.
import type { Db } from "mongodb";
import { COLLECTIONS } from "@/lib/db/collections";
import { isDuplicateKeyError } from "@/lib/db/errors";
import type { LogSummary } from "@/lib/logs/summaries";

export const QUARTER_MS = 15 * 60 * 1000;

/** One value's counts: v the value, t its logs, f its failed logs. */
export type RollupEntry = { v: string; t: number; f: number };
export type RollupDimension = "ips" | "users" | "actions";
export const ROLLUP_DIMENSIONS: readonly RollupDimension[] = ["ips", "users", "actions"];

export type RollupDoc = { _id: string; checkpoint: number; quarter: Date; total: number; failed: number } & Record<RollupDimension, RollupEntry[]>;

export function rollupsCollection(db: Db) {
  return db.collection<RollupDoc>(COLLECTIONS.rollups);
}

export function quarterOf(time: Date): Date {
  return new Date(Math.floor(time.getTime() / QUARTER_MS) * QUARTER_MS);
}

type Counts = { checkpoint: number; quarter: number; total: number; failed: number; values: Record<RollupDimension, Map<string, RollupEntry>> };
type RollupInput = Pick<LogSummary, "time" | "ip" | "user" | "action" | "status">;

/** Counts logs into rollup documents, one per (checkpoint, quarter). */
export class RollupAccumulator {
  readonly #counts = new Map<string, Counts>();

  add(checkpoint: number, log: RollupInput): void {
    const quarter = quarterOf(log.time).getTime();
    const key = `${checkpoint}:${quarter}`;
    let counts = this.#counts.get(key);
    if (!counts) this.#counts.set(key, (counts = { checkpoint, quarter, total: 0, failed: 0, values: { ips: new Map(), users: new Map(), actions: new Map() } }));
    const failed = log.status === "failed" ? 1 : 0;
    counts.total++;
    counts.failed += failed;
    for (const [dimension, value] of [["ips", log.ip], ["users", log.user], ["actions", log.action]] as const) {
      const entry = counts.values[dimension].get(value);
      if (entry) {
        entry.t++;
        entry.f += failed;
      } else counts.values[dimension].set(value, { v: value, t: 1, f: failed });
    }
  }

  *docs(): Generator<RollupDoc> {
    for (const [key, counts] of this.#counts) {
      yield {
        _id: key,
        checkpoint: counts.checkpoint,
        quarter: new Date(counts.quarter),
        total: counts.total,
        failed: counts.failed,
        ips: [...counts.values.ips.values()],
        users: [...counts.values.users.values()],
        actions: [...counts.values.actions.values()],
      };
    }
  }
}

/** The rollup documents of one checkpoint's logs, one per quarter they fall in. */
export function rollupDocs(checkpoint: number, logs: Iterable<RollupInput>): RollupDoc[] {
  const accumulator = new RollupAccumulator();
  for (const log of logs) accumulator.add(checkpoint, log);
  return [...accumulator.docs()];
}

/** Inserts one checkpoint's rollups; running it again for the same checkpoint changes nothing. */
export async function writeRollups(db: Db, checkpoint: number, logs: Iterable<LogSummary>): Promise<void> {
  const docs = rollupDocs(checkpoint, logs);
  if (docs.length === 0) return;
  try {
    await rollupsCollection(db).insertMany(docs, { ordered: false });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
}
