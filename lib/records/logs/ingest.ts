// Ingestion: validated inputs in, signed and durably stored logs out, exactly
// once per log_id. Duplicates are found by the insert itself (the log_id is
// the _id), never by querying first; a re-sent log_id whose content differs
// is a conflict, and then nothing from the request stays stored.
import { randomUUID } from "node:crypto";
import type { Db } from "mongodb";
import { duplicateIndexesOf } from "@/lib/platform/db/errors";
import { findByIds } from "@/lib/platform/db/find-by-ids";
import { noteStored } from "@/lib/platform/db/storage-full";
import { withinBudget, type DatabaseBudget } from "@/lib/platform/db/time-budget";
import { ApiError } from "@/lib/platform/http/errors";
import { validationError, type FieldProblem } from "@/lib/platform/http/validation";
import type { Keyring } from "@/lib/records/integrity/keyring";
import { signLog } from "@/lib/records/integrity/mac";
import { ipKey } from "@/lib/foundation/net/ip";
import { forEachConcurrently } from "@/lib/foundation/util/concurrently";
import { logsCollection } from "./collection";
import { blockLeaves } from "./leaves";
import { apiKeyIdOf } from "./provenance";
import {
  contentKey,
  logContentOf,
  timeDimensions,
  unsignedFieldsOf,
  type LogContent,
  type StoredLog,
  type UnsignedLog,
} from "./record";
import type { LogInput } from "./schemas";
import { repairSequenceHint, reserveSequences, settleSequences } from "./sequence";
import { summaryColumns } from "./summaries";

export type IngestResult = { accepted: number; duplicates: number; ids: string[] };
export type IngestOptions = {
  keyring: Keyring;
  maxFutureSkewMs: number;
  /** Who is storing the logs (./provenance.ts), signed into each. */
  ingestedBy: string;
  receivedAt?: Date;
  /** The request's time on the database (API ingestion); the work goes on past it, unawaited. */
  budget?: DatabaseBudget;
};

const DURABLE = { w: "majority", j: true } as const;
const DELETES_IN_FLIGHT = 8;

type Candidate = { index: number; logId: string; content: LogContent; time: Date };

export async function ingestLogs(db: Db, inputs: LogInput[], options: IngestOptions): Promise<IngestResult> {
  const { duplicateIds: _duplicateIds, ...result } = await ingestLogsNamingDuplicates(db, inputs, options);
  return result;
}

/** ingestLogs, naming the log_ids that were stored before this request (with the same content). */
export async function ingestLogsNamingDuplicates(
  db: Db,
  inputs: LogInput[],
  options: IngestOptions,
): Promise<IngestResult & { duplicateIds: string[] }> {
  return withinBudget(options.budget, storeLogs(db, inputs, options));
}

async function storeLogs(
  db: Db,
  inputs: LogInput[],
  options: IngestOptions,
): Promise<IngestResult & { duplicateIds: string[] }> {
  const receivedAt = options.receivedAt ?? new Date();
  const candidates = prepare(inputs, receivedAt, options.maxFutureSkewMs);
  const ids = candidates.map((candidate) => candidate.logId);
  const unique = dropRepeatsWithinRequest(candidates);
  const block = await reserveSequences(db, unique.length);
  try {
    const stored = await storeInBlock(db, block, unique, {
      receivedAt,
      ingestedBy: options.ingestedBy,
      keyring: options.keyring,
    });
    noteStored();
    return {
      accepted: stored.accepted,
      duplicates: stored.duplicateIds.length + candidates.length - unique.length,
      ids,
      duplicateIds: stored.duplicateIds,
    };
  } finally {
    // A request that has returned leaves nothing behind: a reset right after it must not meet a late hint.
    await block.hintAdvanced;
  }
}

/** Signs and stores the logs under the block's numbers, then settles the block; nothing stays stored if it throws. */
async function storeInBlock(
  db: Db,
  block: { start: number; end: number },
  unique: Candidate[],
  signing: Signing,
): Promise<{ accepted: number; duplicateIds: string[] }> {
  const leaves = new Map<number, Buffer>();
  const logs = unique.map((candidate, offset) => buildLog(candidate, block.start + offset, signing, leaves));
  const failedIndexes = await insertAll(db, logs);

  const notInserted = new Set(failedIndexes);
  const duplicates = failedIndexes.map((index) => logs[index]!);
  const { conflicts, unexplained } = await classifyDuplicates(db, duplicates, signing.ingestedBy);
  if (conflicts.length > 0 || unexplained) {
    await removeOwnInserts(db, logs, notInserted);
    await settleSequences(db, block, { ...blockLeaves(block, new Map()), summaries: summaryColumns([]) });
    if (conflicts.length > 0) throw conflictError(conflicts, unique);
    // Refused as a duplicate, yet no log has that log_id: its sequence number was
    // taken (or the log was deleted meanwhile). Nothing stays stored; a retry
    // gets fresh numbers.
    await repairSequenceHint(db);
    throw new ApiError(
      "database_unavailable",
      "Storing collided with a concurrent write; nothing was stored. Retry the request.",
      undefined,
      { "Retry-After": "1" },
    );
  }
  for (const log of duplicates) leaves.delete(log.sequence);
  const stored = logs.filter((_, index) => !notInserted.has(index));
  const earlier = await settleSequences(db, block, {
    ...blockLeaves(block, leaves),
    summaries: summaryColumns(stored),
  });
  if (earlier) await withdrawVoided(db, logs, notInserted, new Set(earlier.voids));
  return { accepted: logs.length - duplicates.length, duplicateIds: duplicates.map((log) => log._id) };
}

function prepare(inputs: LogInput[], receivedAt: Date, maxFutureSkewMs: number): Candidate[] {
  const latest = receivedAt.getTime() + maxFutureSkewMs;
  const problems: FieldProblem[] = [];
  const candidates = inputs.map((input, index) => {
    const content = logContentOf(input, receivedAt);
    const time = new Date(content.timestamp);
    if (time.getTime() > latest) {
      problems.push({
        index,
        field: "timestamp",
        message: `is more than ${maxFutureSkewMs / 1000} seconds ahead of the server clock (${receivedAt.toISOString()})`,
      });
    }
    return { index, logId: input.log_id ?? randomUUID(), content, time };
  });
  if (problems.length > 0) throw validationError(problems);
  return candidates;
}

/** The same log_id twice in one request: a repeat if identical, else a conflict. */
function dropRepeatsWithinRequest(candidates: Candidate[]): Candidate[] {
  const firstById = new Map<string, Candidate>();
  const problems: FieldProblem[] = [];
  for (const candidate of candidates) {
    const first = firstById.get(candidate.logId);
    if (!first) firstById.set(candidate.logId, candidate);
    else if (contentKey(first.content) !== contentKey(candidate.content)) {
      problems.push({
        index: candidate.index,
        field: "log_id",
        message: `'${candidate.logId}' is also used at index ${first.index} with different content`,
      });
    }
  }
  if (problems.length > 0) {
    throw new ApiError("conflict", "The request uses a log_id twice with different content.", problems);
  }
  return [...firstById.values()];
}

type Signing = { receivedAt: Date; ingestedBy: string; keyring: Keyring };

/** The signed log to store; its Merkle leaf goes into `leaves` by sequence. */
function buildLog(
  candidate: Candidate,
  sequence: number,
  { receivedAt, ingestedBy, keyring }: Signing,
  leaves: Map<number, Buffer>,
): StoredLog {
  const unsigned: UnsignedLog = {
    _id: candidate.logId,
    ...candidate.content,
    ingested_by: ingestedBy,
    time: candidate.time,
    received_at: receivedAt,
    sequence,
    ...(candidate.content.ip !== undefined && { ip_key: ipKey(candidate.content.ip) }),
    ...timeDimensions(candidate.time),
  };
  const { key_id, mac, leaf } = signLog(unsignedFieldsOf(unsigned), keyring);
  leaves.set(sequence, leaf);
  return Object.assign(unsigned, { key_id, mac });
}

/** Inserts every log; returns the indexes that already existed. Any other failure throws. */
async function insertAll(db: Db, logs: StoredLog[]): Promise<number[]> {
  try {
    await logsCollection(db).insertMany(logs, { ordered: false, writeConcern: DURABLE });
    return [];
  } catch (error) {
    const duplicates = duplicateIndexesOf(error);
    if (duplicates === undefined) throw error;
    return duplicates;
  }
}

/** Who stored the log a conflicting log_id names, as far as the sender may know: never another key's id. */
export type StoredBy = "this_sender" | "another_api_key" | "another_sender" | "unrecorded";

type Conflict = { logId: string; storedBy: StoredBy };

async function classifyDuplicates(
  db: Db,
  duplicates: StoredLog[],
  ingestedBy: string,
): Promise<{ conflicts: Conflict[]; unexplained: boolean }> {
  if (duplicates.length === 0) return { conflicts: [], unexplained: false };
  const storedById = await findByIds(
    logsCollection(db),
    duplicates.map((log) => log._id),
  );
  const conflicts = duplicates.flatMap((log) => {
    const stored = storedById.get(log._id);
    return stored && contentKey(stored) !== contentKey(log)
      ? [{ logId: log._id, storedBy: storedByOf(stored.ingested_by, ingestedBy) }]
      : [];
  });
  return { conflicts, unexplained: duplicates.some((log) => !storedById.has(log._id)) };
}

export function storedByOf(stored: string | undefined | null, sender: string): StoredBy {
  if (stored == null) return "unrecorded";
  if (stored === sender) return "this_sender";
  return apiKeyIdOf(stored) === undefined ? "another_sender" : "another_api_key";
}

const STORED_BY_TEXT: Record<StoredBy, string> = {
  this_sender: "by this same sender",
  another_api_key: "by another API key",
  another_sender: "by Ledgerline, an import or a script",
  unrecorded: "before Ledgerline recorded who stores each log",
};

/**
 * The checkpoint writer settled this block first (it waited too long for it)
 * and voided the numbers whose logs it did not see yet: take those logs back,
 * so none sits at a voided number, and ask the client to retry (which stores
 * them anew and counts the rest as duplicates).
 */
async function withdrawVoided(db: Db, logs: StoredLog[], notInserted: Set<number>, voided: Set<number>): Promise<void> {
  const keep = new Set(
    logs.flatMap((log, index) => (voided.has(log.sequence) && !notInserted.has(index) ? [] : [index])),
  );
  if (keep.size === logs.length) return;
  await removeOwnInserts(db, logs, keep);
  throw new ApiError(
    "database_unavailable",
    "Storing took too long; some logs were not kept. Retry the request.",
    undefined,
    {
      "Retry-After": "1",
    },
  );
}

async function removeOwnInserts(db: Db, logs: StoredLog[], exceptIndexes: Set<number>): Promise<void> {
  const own = logs.filter((_, index) => !exceptIndexes.has(index));
  if (own.length === 0) return;
  // Only a lone _id is looked up by index on the embedded server ({_id, sequence}
  // reads every log), so each copy is read by _id and deleted if it holds this
  // request's sequence. Another request can store that log_id only after this copy
  // is gone, so only a purge and a re-send between the read and the delete could
  // slip past the check.
  const stored = await findByIds(
    logsCollection(db),
    own.map((log) => log._id),
    { projection: { sequence: 1 } },
  );
  const ours = own.filter((log) => stored.get(log._id)?.sequence === log.sequence);
  await forEachConcurrently(ours, DELETES_IN_FLIGHT, async (log) => {
    await logsCollection(db).deleteOne({ _id: log._id }, { writeConcern: DURABLE });
  });
}

/** Why a log is refused when its log_id is stored with other content, and by whom as far as the sender may know. */
export function storedWithOtherContent(logId: string, storedBy: StoredBy): string {
  return `'${logId}' is already stored with different content, ${STORED_BY_TEXT[storedBy]}`;
}

function conflictError(conflicts: Conflict[], unique: Candidate[]): ApiError {
  const indexById = new Map(unique.map((candidate) => [candidate.logId, candidate.index]));
  const names = conflicts.map(({ logId }) => `'${logId}'`).join(", ");
  return new ApiError(
    "conflict",
    `log_id ${names} ${conflicts.length === 1 ? "is" : "are"} already stored with different content; nothing from this request was stored.`,
    conflicts.map(({ logId, storedBy }) => ({
      index: indexById.get(logId),
      field: "log_id",
      message: storedWithOtherContent(logId, storedBy),
      stored_by: storedBy,
    })),
  );
}
