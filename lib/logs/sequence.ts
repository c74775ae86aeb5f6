// Sequence numbers: every stored log gets one, unique and gap-free in intent.
// Numbers are handed out in blocks. A block is claimed by inserting a document
// whose _id is its first number; the unique _id makes the claim atomic on
// every backend (the embedded server's $inc is not). Blocks chain: each starts
// where an existing one ends, so they never overlap. A counter document only
// hints where the chain ends; a stale hint costs a few hops, never a collision.
// Once the block's logs are stored, a settlement is inserted under the same
// _id, listing the numbers no stored log carries (voids), so the verifier can
// tell an unused reservation from a deleted log. Both are insert-only: on the
// embedded server an insert's unique check is indexed, while any lookup or
// update reads the whole collection. A block with no settlement (a crash
// mid-batch) is resolved later by the checkpoint writer.
import type { Binary, Db } from "mongodb";
import { COLLECTIONS } from "@/lib/db/collections";
import { isDuplicateKeyError } from "@/lib/db/errors";
import type { SummaryColumns } from "./summaries";

export type SequenceBlock = { _id: number; end: number; reserved_at: Date };
export type SequenceSettlement = {
  _id: number;
  end: number;
  voids: number[];
  /** Merkle leaf hash of every number in [_id, end), in order (void leaves for voids), 32 bytes each. */
  leaf_hashes: Binary;
  /** The stored logs, for rollups and alerts (absent in settlements written before summaries existed). */
  summaries?: SummaryColumns;
  settled_at: Date;
};

const HINT_ID = "log_sequence";
/** The checkpoint writer's hint of the latest checkpoint, whose end_sequence no new block may start below. */
export const CHECKPOINT_HEAD_ID = "checkpoint_head";
const FIRST_SEQUENCE = 1;
const MAX_HOPS = 10_000;
const DURABLE = { w: "majority", j: true } as const;

export function sequenceBlocks(db: Db) {
  return db.collection<SequenceBlock>(COLLECTIONS.sequenceBlocks);
}

export function sequenceSettlements(db: Db) {
  return db.collection<SequenceSettlement>(COLLECTIONS.sequenceSettlements);
}

function counters(db: Db) {
  return db.collection<{ _id: string; next: number }>(COLLECTIONS.counters);
}

function checkpointHead(db: Db) {
  return db.collection<{ _id: string; end_sequence: number }>(COLLECTIONS.counters);
}

/**
 * Claims `count` consecutive sequence numbers [start, end). Claims from one
 * process take turns: concurrent requests of an app instance would otherwise
 * all start from the same hint and collide, each collision costing a failed
 * insert and a lookup while the server is busy storing logs. A claim returns
 * once its block is inserted; the hint moves past it meanwhile
 * (`hintAdvanced`, which never rejects), and the process's next claim waits
 * for that, so it starts where this one ends.
 */
export async function reserveSequences(db: Db, count: number): Promise<{ start: number; end: number; hintAdvanced: Promise<void> }> {
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
  const endTurn = await takeClaimTurn(db);
  try {
    const start = await claimBlock(db, count);
    // The hint is lossy by design: a lost advance costs a later claim a hop, never a collision.
    const hintAdvanced = advanceHint(db, start + count)
      .catch(() => undefined)
      .finally(endTurn);
    return { start, end: start + count, hintAdvanced };
  } catch (error) {
    endTurn();
    throw error;
  }
}

async function claimBlock(db: Db, count: number): Promise<number> {
  // Covered blocks are pruned, so below the last checkpoint a claim would not
  // collide with them: start at or above its end whatever the (lossy) hint says.
  const [hint, head] = await Promise.all([counters(db).findOne({ _id: HINT_ID }), checkpointHead(db).findOne({ _id: CHECKPOINT_HEAD_ID })]);
  let start = Math.max(hint?.next ?? FIRST_SEQUENCE, head?.end_sequence ?? FIRST_SEQUENCE);
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    try {
      await sequenceBlocks(db).insertOne({ _id: start, end: start + count, reserved_at: new Date() }, { writeConcern: DURABLE });
      return start;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const taken = await sequenceBlocks(db).findOne({ _id: start });
      // Blocks are pruned only once a checkpoint covers them; if one is gone, retry the same start.
      if (taken) start = taken.end;
    }
  }
  throw new Error(`could not reserve sequence numbers after ${MAX_HOPS} attempts`);
}

/** The claim turns of each database, per client: one chain of turns per process and database. */
const claimTurns = new WeakMap<Db["client"], Map<string, Promise<void>>>();

/** Waits for this process's earlier claims on `db`; returns the function that ends this claim's turn. */
async function takeClaimTurn(db: Db): Promise<() => void> {
  let turns = claimTurns.get(db.client);
  if (!turns) claimTurns.set(db.client, (turns = new Map()));
  const previous = turns.get(db.databaseName) ?? Promise.resolve();
  let endTurn!: () => void;
  const turn = new Promise<void>((resolve) => (endTurn = resolve));
  turns.set(db.databaseName, previous.then(() => turn));
  await previous;
  return endTurn;
}

// $max keeps the hint from moving backwards when updates race; two racing
// first upserts may collide on the _id, and losing that race is harmless.
export async function advanceHint(db: Db, next: number): Promise<void> {
  try {
    await counters(db).updateOne({ _id: HINT_ID }, { $max: { next } }, { upsert: true });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
}

/**
 * Records that block [start, end) is done: which numbers no stored log
 * carries, and every number's leaf hash. Returns null when this settlement was
 * recorded, or the one already there (the checkpoint writer settled the block
 * as stale).
 */
export async function settleSequences(
  db: Db,
  block: { start: number; end: number },
  { voids, leaf_hashes, summaries }: { voids: number[]; leaf_hashes: Binary; summaries: SummaryColumns },
): Promise<SequenceSettlement | null> {
  try {
    await sequenceSettlements(db).insertOne(
      { _id: block.start, end: block.end, voids, leaf_hashes, summaries, settled_at: new Date() },
      { writeConcern: DURABLE },
    );
    return null;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    return sequenceSettlements(db).findOne({ _id: block.start });
  }
}

/**
 * After a claim collided with numbers already in use (the hint and the
 * checkpoint head both lagged): move the hint past the highest stored
 * sequence, so the retry claims fresh numbers. Rare, and a full scan.
 */
export async function repairSequenceHint(db: Db): Promise<void> {
  const logs = db.collection<{ sequence: number }>(COLLECTIONS.logs);
  const [highest] = await logs.find({}, { projection: { sequence: 1 } }).sort({ sequence: -1 }).limit(1).toArray();
  if (highest) await advanceHint(db, highest.sequence + 1);
}
