// Checkpoints: each covers the next contiguous range of settled sequence
// numbers with a Merkle root over their leaves, chains to the previous one by
// digest, and is signed with Ed25519. One is written at every run, empty or
// not, so a cut-off tail shows up to the last checkpoint. Only one writer wins
// each number (the unique _id); a writer that loses simply reports the winner.
import type { Db } from "mongodb";
import { COLLECTIONS } from "@/lib/platform/db/collections";
import { isDuplicateKeyError } from "@/lib/platform/db/errors";
import { logsCollection } from "@/lib/records/logs/collection";
import { blockLeaves, leavesOfStoredLogs, unpackLeaves } from "@/lib/records/logs/leaves";
import {
  CHECKPOINT_HEAD_ID,
  sequenceBlocks,
  sequenceSettlements,
  type SequenceBlock,
  type SequenceSettlement,
} from "@/lib/records/logs/sequence";
import { summaryColumns } from "@/lib/records/logs/summaries";
import type { CheckpointSigner } from "./checkpoint-keys";
import { signCheckpoint, type SignedCheckpoint } from "./checkpoint-record";
import { MerkleRootBuilder } from "./merkle";

export type StoredCheckpoint = Omit<SignedCheckpoint, "number"> & { _id: number };
/** What the sequence reserver needs of the latest checkpoint, and a copy of all of it. */
type Head = { number: number; end_sequence: number; digest: string; checkpoint?: Omit<SignedCheckpoint, "number"> };

const HEAD_ID = CHECKPOINT_HEAD_ID;
const FIRST_SEQUENCE = 1;
const DURABLE = { w: "majority", j: true } as const;

export function checkpointsCollection(db: Db) {
  return db.collection<StoredCheckpoint>(COLLECTIONS.checkpoints);
}

function headHint(db: Db) {
  return db.collection<Head & { _id: string }>(COLLECTIONS.counters);
}

export function toSignedCheckpoint({ _id, ...rest }: StoredCheckpoint): SignedCheckpoint {
  return { number: _id, ...rest };
}

/**
 * The latest checkpoint, or null before the first: the copy the head keeps
 * in the small counters collection. On the embedded server only a string
 * _id is looked up by index (a numeric one, as checkpoints have, decodes
 * every document), and a checkpoint is written every minute. The head can lag
 * only after a writer stopped between writing a checkpoint and the head; the
 * next writer to lose that number to it moves the head on.
 */
export async function latestCheckpoint(db: Db): Promise<SignedCheckpoint | null> {
  const head = await headHint(db).findOne({ _id: HEAD_ID });
  if (head?.checkpoint) return { number: head.number, ...head.checkpoint };
  // A head recorded before it kept the checkpoint (the next checkpoint upgrades it).
  return latestStoredCheckpoint(db);
}

/** The checkpoint with the highest number stored: a scan, for restores and heads without a copy. */
export async function latestStoredCheckpoint(db: Db): Promise<SignedCheckpoint | null> {
  const [latest] = await checkpointsCollection(db).find().sort({ _id: -1 }).limit(1).toArray();
  return latest ? toSignedCheckpoint(latest) : null;
}

/** The last checkpoint created before `time`: every log it and the ones before it cover was received before then. */
export async function lastCheckpointCreatedBefore(db: Db, time: Date): Promise<SignedCheckpoint | null> {
  const [stored] = await checkpointsCollection(db)
    .find({ created_at: { $lt: time } })
    .sort({ _id: -1 })
    .limit(1)
    .toArray();
  return stored ? toSignedCheckpoint(stored) : null;
}

export type CheckpointOptions = { signer: CheckpointSigner; voidAfterMs: number; now?: Date };
export type AppendedCheckpoint = { written: boolean; checkpoint: SignedCheckpoint; settlements: SequenceSettlement[] };

/**
 * Signs and stores the checkpoint after `previous` over the settled sequence
 * numbers; `written` is false when another writer got there first (then
 * `settlements` is empty). Deriving from its logs is the pipeline's part
 * (lib/ledger/checkpoint-pipeline.ts).
 */
export async function appendCheckpoint(
  db: Db,
  previous: SignedCheckpoint | null,
  options: CheckpointOptions,
): Promise<AppendedCheckpoint> {
  const now = options.now ?? new Date();
  const number = (previous?.number ?? 0) + 1;
  const start = previous?.end_sequence ?? FIRST_SEQUENCE;
  const range = await settledRange(db, start, now.getTime() - options.voidAfterMs);

  const checkpoint = signCheckpoint(
    {
      number,
      start_sequence: start,
      end_sequence: range.end,
      log_count: range.end - start - range.voids.length,
      voids: range.voids,
      root: range.root,
      previous_digest: previous?.digest ?? null,
      // Taken after the range was read, so every log a checkpoint covers was
      // received before its created_at: a filtered export relies on that.
      created_at: options.now ?? new Date(),
    },
    options.signer,
  );
  const { number: _id, ...fields } = checkpoint;
  try {
    await checkpointsCollection(db).insertOne({ _id, ...fields }, { writeConcern: DURABLE });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const winner = await checkpointsCollection(db).findOne({ _id });
    if (!winner) throw error;
    // Its writer may have stopped before recording it as the head.
    await advanceHead(db, toSignedCheckpoint(winner));
    return { written: false, checkpoint: toSignedCheckpoint(winner), settlements: [] };
  }
  await advanceHead(db, checkpoint);
  return { written: true, checkpoint, settlements: range.settlements };
}

/** Walks settled blocks from `start` in order, voiding blocks reserved before `staleBefore` and never settled. */
async function settledRange(
  db: Db,
  start: number,
  staleBefore: number,
): Promise<{ end: number; voids: number[]; root: string; settlements: SequenceSettlement[] }> {
  const settlements = new Map(
    (
      await sequenceSettlements(db)
        .find({ _id: { $gte: start } })
        .toArray()
    ).map((s) => [s._id, s]),
  );
  const builder = new MerkleRootBuilder();
  const voids: number[] = [];
  const inRange: SequenceSettlement[] = [];
  let end = start;
  for await (const block of sequenceBlocks(db)
    .find({ _id: { $gte: start } })
    .sort({ _id: 1 })) {
    if (block._id !== end) break;
    let settlement = settlements.get(block._id);
    if (!settlement) {
      if (block.reserved_at.getTime() > staleBefore) break;
      settlement = await voidStaleBlock(db, block);
    }
    for (const leaf of unpackLeaves(settlement.leaf_hashes)) builder.add(leaf);
    voids.push(...settlement.voids);
    inRange.push(settlement);
    end = block.end;
  }
  return { end, voids, root: builder.root().toString("hex"), settlements: inRange };
}

/** Settles an abandoned block from what was actually stored; if its owner settled it meanwhile, that wins. */
async function voidStaleBlock(db: Db, block: SequenceBlock): Promise<SequenceSettlement> {
  const logs = await logsCollection(db)
    .find({ sequence: { $gte: block._id, $lt: block.end } })
    .toArray();
  const settlement: SequenceSettlement = {
    _id: block._id,
    end: block.end,
    ...blockLeaves({ start: block._id, end: block.end }, leavesOfStoredLogs(logs)),
    summaries: summaryColumns(logs),
    settled_at: new Date(),
  };
  try {
    await sequenceSettlements(db).insertOne(settlement, { writeConcern: DURABLE });
    return settlement;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    return (await sequenceSettlements(db).findOne({ _id: block._id })) ?? settlement;
  }
}

/** Records `checkpoint` as the latest unless a newer one is recorded. */
export async function advanceHead(db: Db, checkpoint: SignedCheckpoint): Promise<void> {
  const { number, ...rest } = checkpoint;
  const head: Head = { number, end_sequence: checkpoint.end_sequence, digest: checkpoint.digest, checkpoint: rest };
  try {
    await headHint(db).updateOne({ _id: HEAD_ID, number: { $lt: number } }, { $set: head }, { upsert: true });
  } catch (error) {
    // A newer head is already recorded (the upsert met its _id): nothing to do.
    if (!isDuplicateKeyError(error)) throw error;
  }
}
