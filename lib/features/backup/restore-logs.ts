// Restoring logs: the backup's log lines (in sequence order) are merged with
// the stored logs (read once, in sequence order) to find the missing ones and
// any conflict; the same walk inserts them afterwards, listing them first as
// misplaced when the store already held logs (they land after newer ones). Then every sequence
// after the last checkpoint gets a settled block, so the checkpoint writer
// carries on from the restored logs.
import type { Db } from "mongodb";
import { findByIds } from "@/lib/platform/db/find-by-ids";
import { checkpointsCollection } from "@/lib/records/integrity/checkpoints";
import { parseExportLine, type ParsedLogLine } from "@/lib/records/integrity/export-format";
import { logsCollection } from "@/lib/records/logs/collection";
import { blockLeaves, leavesOfStoredLogs } from "@/lib/records/logs/leaves";
import { timeDimensions, type StoredLog } from "@/lib/records/logs/record";
import { recordMisplacedLogs } from "@/lib/records/logs/misplaced-logs";
import { logsInOrder, logsSortedBySequence } from "@/lib/records/logs/sequence-order";
import { advanceHint as advanceSequenceHint, sequenceBlocks, sequenceSettlements } from "@/lib/records/logs/sequence";
import { summaryColumns } from "@/lib/records/logs/summaries";
import { ipKey } from "@/lib/foundation/net/ip";

export type LogVerdict =
  | { kind: "present" | "purged"; sequence: number }
  | { kind: "missing"; log: StoredLog }
  | { kind: "conflict"; sequence: number; message: string };

const DURABLE = { w: "majority", j: true } as const;
const ID_CHECK_BATCH = 5_000;
const INSERT_BATCH = 1_000;
const SETTLE_CHUNK = 10_000;

/** The stored form of an exported log: the signed fields as they are, the derived ones computed again. */
export function storedLogOf(line: ParsedLogLine): StoredLog {
  const time = new Date(line.timestamp);
  if (Number.isNaN(time.getTime()))
    throw new Error(`log ${line.log_id}: the timestamp "${line.timestamp}" is not a date`);
  const log: StoredLog = {
    _id: line.log_id,
    timestamp: line.timestamp,
    user: line.user,
    action: line.action,
    status: line.status,
    time,
    received_at: line.received_at,
    sequence: line.sequence,
    key_id: line.key_id,
    mac: line.mac,
    ...timeDimensions(time),
  };
  if (line.ip !== undefined) Object.assign(log, { ip: line.ip, ip_key: ipKey(line.ip) });
  if (line.source !== undefined) log.source = line.source;
  if (line.message !== undefined) log.message = line.message;
  if (line.metadata !== undefined) log.metadata = line.metadata;
  if (line.ingested_by !== undefined) log.ingested_by = line.ingested_by;
  // Not signed, so not exported: a log sent without a timestamp got its receive time.
  if (line.timestamp === line.received_at.toISOString()) log.timestamp_defaulted = true;
  return log;
}

/** The log lines of a verifiable export. */
export async function* logLinesOf(lines: AsyncIterable<string>): AsyncGenerator<ParsedLogLine> {
  for await (const text of lines) {
    if (!text.includes('"log"')) continue;
    const parsed = parseExportLine(text);
    if (!("line" in parsed)) throw new Error(`a line of the export no longer parses: ${parsed.error}`);
    if (parsed.line.type === "log") yield parsed.line;
  }
}

/**
 * Each backup log against the database: present (same log_id and MAC at its
 * sequence), purged there by retention, missing, or in conflict (its sequence
 * or its log_id taken by another log). `checkIds` also looks the missing logs'
 * log_ids up (one query per batch), which only the read-only pass needs.
 */
export async function* compareLogs(
  db: Db,
  backupLogs: AsyncIterable<ParsedLogLine>,
  options: { purgedBelow: number; checkIds: boolean; sorted: boolean },
): AsyncGenerator<LogVerdict> {
  // On the embedded server a cursor reads a snapshot: the writing pass's inserts never show up in it.
  const projection = { _id: 1, sequence: 1, mac: 1 } as const;
  const stored = options.sorted ? logsSortedBySequence(db, {}, projection) : logsInOrder(db, {}, projection);
  const next = async () => (await stored.next()).value ?? null;
  let current = await next();
  let unchecked: StoredLog[] = [];
  try {
    for await (const line of backupLogs) {
      const sequence = line.sequence;
      if (sequence < options.purgedBelow) {
        yield { kind: "purged", sequence };
        continue;
      }
      while (current && current.sequence < sequence) current = await next();
      if (current?.sequence === sequence) {
        if (current._id === line.log_id && current.mac === line.mac) yield { kind: "present", sequence };
        else
          yield {
            kind: "conflict",
            sequence,
            message: `sequence ${sequence} holds log ${current._id} in the database, but log ${line.log_id} in the backup`,
          };
        continue;
      }
      let log: StoredLog;
      try {
        log = storedLogOf(line);
      } catch (error) {
        yield {
          kind: "conflict",
          sequence,
          message: `sequence ${sequence}: ${error instanceof Error ? error.message : String(error)}`,
        };
        continue;
      }
      if (!options.checkIds) {
        yield { kind: "missing", log };
        continue;
      }
      unchecked.push(log);
      if (unchecked.length >= ID_CHECK_BATCH) {
        yield* checkIds(db, unchecked);
        unchecked = [];
      }
    }
    yield* checkIds(db, unchecked);
  } finally {
    await stored.return(undefined);
  }
}

async function* checkIds(db: Db, logs: StoredLog[]): AsyncGenerator<LogVerdict> {
  if (logs.length === 0) return;
  const found = await findByIds(
    logsCollection(db),
    logs.map((log) => log._id),
    { projection: { sequence: 1 } },
  );
  for (const log of logs) {
    const elsewhere = found.get(log._id)?.sequence;
    if (elsewhere === undefined) yield { kind: "missing", log };
    else
      yield {
        kind: "conflict",
        sequence: log.sequence,
        message: `log ${log._id} is at sequence ${elsewhere} in the database, but at sequence ${log.sequence} in the backup`,
      };
  }
}

export type LogTally = { missing: number; present: number; purged: number; maxSequence: number };

/**
 * Tallies the verdicts and, with `insert`, inserts the missing logs in
 * batches (`misplaced`: listed first, as the store held logs before). Conflicts go to `onConflict` (the read-only pass
 * lists them; the writing pass throws, since the database changed in between).
 */
export async function applyLogVerdicts(
  verdicts: AsyncIterable<LogVerdict>,
  db: Db,
  options: { insert: boolean; onConflict: (message: string) => void; misplaced?: boolean },
): Promise<LogTally> {
  const tally: LogTally = { missing: 0, present: 0, purged: 0, maxSequence: 0 };
  let batch: StoredLog[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    if (options.misplaced)
      await recordMisplacedLogs(
        db,
        batch.map((log) => [log._id, log.sequence]),
      );
    await logsCollection(db).insertMany(batch, { ordered: false, writeConcern: DURABLE });
    batch = [];
  };
  for await (const verdict of verdicts) {
    if (verdict.kind === "conflict") {
      options.onConflict(verdict.message);
      continue;
    }
    if (verdict.kind !== "missing") {
      tally[verdict.kind]++;
      tally.maxSequence = Math.max(tally.maxSequence, verdict.sequence);
      continue;
    }
    tally.missing++;
    tally.maxSequence = Math.max(tally.maxSequence, verdict.log.sequence);
    if (!options.insert) continue;
    batch.push(verdict.log);
    if (batch.length >= INSERT_BATCH) await flush();
  }
  await flush();
  return tally;
}

/**
 * Settles every sequence from the last checkpoint's end up to `next` that no
 * block covers yet, from the logs stored there (void leaves for the rest), and
 * moves the sequence hint to at least `next`. Returns the blocks written.
 */
export async function settleUncheckpointed(db: Db, next: number): Promise<number> {
  const [last] = await checkpointsCollection(db).find().sort({ _id: -1 }).limit(1).toArray();
  let covered = last?.end_sequence ?? 1;
  let written = 0;
  const gaps: [number, number][] = [];
  for await (const block of sequenceBlocks(db)
    .find({ end: { $gt: covered } })
    .sort({ _id: 1 })) {
    if (block._id > covered && covered < next) gaps.push([covered, Math.min(block._id, next)]);
    covered = Math.max(covered, block.end);
  }
  if (covered < next) gaps.push([covered, next]);
  for (const [start, end] of gaps) {
    for (let from = start; from < end; from += SETTLE_CHUNK) {
      await settleBlock(db, from, Math.min(from + SETTLE_CHUNK, end));
      written++;
    }
  }
  await advanceSequenceHint(db, Math.max(covered, next));
  return written;
}

async function settleBlock(db: Db, start: number, end: number): Promise<void> {
  const logs = await logsCollection(db)
    .find({ sequence: { $gte: start, $lt: end } })
    .toArray();
  const now = new Date();
  await sequenceBlocks(db).insertOne({ _id: start, end, reserved_at: now }, { writeConcern: DURABLE });
  await sequenceSettlements(db).insertOne(
    {
      _id: start,
      end,
      ...blockLeaves({ start, end }, leavesOfStoredLogs(logs)),
      summaries: summaryColumns(logs),
      settled_at: now,
    },
    { writeConcern: DURABLE },
  );
}
