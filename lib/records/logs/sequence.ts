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
import { randomUUID } from "node:crypto";
import type { Binary, Db } from "mongodb";
import { COLLECTIONS } from "@/lib/platform/db/collections";
import { isDuplicateKeyError } from "@/lib/platform/db/errors";
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

/** The hint of where the chain of blocks ends; `epoch` names this document, which a reset deletes. */
function counters(db: Db) {
  return db.collection<{ _id: string; next: number; epoch?: string }>(COLLECTIONS.counters);
}

function checkpointHead(db: Db) {
  return db.collection<{ _id: string; end_sequence: number }>(COLLECTIONS.counters);
}

/**
 * Claims `count` consecutive sequence numbers [start, end). Claims from one
 * process take turns, each starting where the process's last one ended:
 * concurrent requests of an app instance would otherwise all start from the
 * same hint and collide, each collision costing a failed insert and a lookup
 * while the server is busy storing logs. The shared hint is written only
 * every HINT_EVERY claims (an update is a full read and a write on the
 * embedded server), so another process hops over at most that many blocks.
 * A claim returns once its block is inserted; a hint write runs meanwhile
 * (`hintAdvanced`, which never rejects) and the process's next claim waits for it.
 */
export async function reserveSequences(
  db: Db,
  count: number,
): Promise<{ start: number; end: number; hintAdvanced: Promise<void> }> {
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
  const { line, endTurn } = await takeClaimTurn(db);
  try {
    const { start, writeHint } = await claimBlock(db, count, line);
    // The hint is lossy by design: a lost advance costs a later claim a hop, never a collision.
    const hintAdvanced = (writeHint ? advanceHint(db, start + count) : Promise.resolve())
      .catch(() => undefined)
      .finally(endTurn);
    return { start, end: start + count, hintAdvanced };
  } catch (error) {
    endTurn();
    throw error;
  }
}

/** Claims between writes of the hint by one process. */
const HINT_EVERY = 16;

/** One process's claims on one database: they take turns, and the last one's end is known here. */
type ClaimLine = { turn: Promise<void>; next?: number; epoch?: string; unhinted: number };

async function claimBlock(db: Db, count: number, line: ClaimLine): Promise<{ start: number; writeHint: boolean }> {
  const [hint, head] = await Promise.all([
    counters(db).findOne({ _id: HINT_ID }),
    checkpointHead(db).findOne({ _id: CHECKPOINT_HEAD_ID }),
  ]);
  if (hint && !hint.epoch) await stampEpoch(db);
  // The process's own last end holds only while the hint document is the one
  // it saw then: a reset deletes it, and the next write creates one with a new epoch.
  const known = hint?.epoch !== undefined && hint.epoch === line.epoch ? line.next : undefined;
  // Covered blocks are pruned, so below the last checkpoint a claim would not
  // collide with them: start at or above its end whatever the (lossy) hint says.
  let start = Math.max(hint?.next ?? FIRST_SEQUENCE, head?.end_sequence ?? FIRST_SEQUENCE, known ?? FIRST_SEQUENCE);
  let hopped = false;
  for (let hop = 0; ; hop++) {
    if (hop === MAX_HOPS) throw new Error(`could not reserve sequence numbers after ${MAX_HOPS} attempts`);
    try {
      await sequenceBlocks(db).insertOne(
        { _id: start, end: start + count, reserved_at: new Date() },
        { writeConcern: DURABLE },
      );
      break;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      hopped = true;
      const taken = await sequenceBlocks(db).findOne({ _id: start });
      // Blocks are pruned only once a checkpoint covers them; if one is gone, retry the same start.
      if (taken) start = taken.end;
    }
  }
  Object.assign(line, {
    next: start + count,
    epoch: hint?.epoch,
    unhinted: known === undefined ? HINT_EVERY : line.unhinted + 1,
  });
  // Written at once when this process could not rely on its own end, or others would hop too.
  const writeHint = hopped || line.unhinted >= HINT_EVERY;
  if (writeHint) line.unhinted = 0;
  return { start, writeHint };
}

/** The claim lines of each database, per client: one per process and database. */
const claimLines = new WeakMap<Db["client"], Map<string, ClaimLine>>();

/** Waits for this process's earlier claims on `db`; returns its claim line and the function that ends this claim's turn. */
async function takeClaimTurn(db: Db): Promise<{ line: ClaimLine; endTurn: () => void }> {
  let lines = claimLines.get(db.client);
  if (!lines) claimLines.set(db.client, (lines = new Map()));
  let line = lines.get(db.databaseName);
  if (!line) lines.set(db.databaseName, (line = { turn: Promise.resolve(), unhinted: 0 }));
  const previous = line.turn;
  let endTurn!: () => void;
  const turn = new Promise<void>((resolve) => (endTurn = resolve));
  line.turn = previous.then(() => turn);
  await previous;
  return { line, endTurn };
}

// $max keeps the hint from moving backwards when updates race; two racing
// first upserts may collide on the _id, and losing that race is harmless.
export async function advanceHint(db: Db, next: number): Promise<void> {
  try {
    await counters(db).updateOne(
      { _id: HINT_ID },
      { $max: { next }, $setOnInsert: { epoch: randomUUID() } },
      { upsert: true },
    );
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
}

/** Gives a hint written before epochs existed one. */
async function stampEpoch(db: Db): Promise<void> {
  await counters(db).updateOne({ _id: HINT_ID, epoch: { $exists: false } }, { $set: { epoch: randomUUID() } });
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
  const [highest] = await logs
    .find({}, { projection: { sequence: 1 } })
    .sort({ sequence: -1 })
    .limit(1)
    .toArray();
  if (highest) await advanceHint(db, highest.sequence + 1);
}

/**
 * Drops the blocks and settlements below `end`, once a checkpoint and its
 * derived data hold them: the next run reads these collections whole (every
 * read but an _id lookup is a scan on the embedded server), so they stay small.
 */
export async function pruneSettledBelow(db: Db, end: number): Promise<void> {
  await sequenceSettlements(db).deleteMany({ _id: { $lt: end } });
  await sequenceBlocks(db).deleteMany({ _id: { $lt: end } });
}
