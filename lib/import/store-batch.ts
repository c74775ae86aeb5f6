// Stores one batch of validated rows through ingestLogs, so that a row the
// batch cannot take (its log_id already stored with other content, used twice
// in the file, or a timestamp too far ahead) is refused alone, by line, and
// the rest of the batch is still stored.
import type { Db } from "mongodb";
import { findByIds } from "@/lib/db/find-by-ids";
import { ApiError } from "@/lib/http/errors";
import type { FieldProblem } from "@/lib/http/validation";
import { logsCollection } from "@/lib/logs/collection";
import { ingestLogs, storedByOf, storedWithOtherContent, type IngestOptions } from "@/lib/logs/ingest";
import { contentKey, logContentOf, type LogContent, type StoredLog } from "@/lib/logs/record";
import type { LogInput } from "@/lib/logs/schemas";
import type { RowProblem } from "./dialects";
import { LEGACY_METADATA } from "./legacy-hash";

export type Candidate = { line: number; input: LogInput & { log_id: string } };
export type RefusedRow = { line: number; problems: RowProblem[] };
export type BatchOutcome = { imported: number; alreadyThere: number; refused: RefusedRow[] };

// Each round refuses at least one row or stores the rest; a few rounds cover what one batch can hold.
const MAX_ROUNDS = 5;

/**
 * `lookFirst`: look every row's log_id up before ingesting, and ingest only the
 * rows not stored yet. For a file imported again this is cheaper than letting
 * the insert find the duplicates (which then costs the same lookups, plus
 * sequence numbers reserved and voided for nothing); the verdicts are the same.
 */
export async function storeBatch(db: Db, candidates: Candidate[], options: IngestOptions, lookFirst = false): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { imported: 0, alreadyThere: 0, refused: [] };
  let pending = dropRepeats(candidates, outcome);
  if (lookFirst) pending = await dropStored(db, pending, outcome, options.ingestedBy);
  for (let round = 0; pending.length > 0; round++) {
    try {
      const result = await ingestLogs(db, pending.map((candidate) => candidate.input), options);
      outcome.imported += result.accepted;
      outcome.alreadyThere += result.duplicates;
      return outcome;
    } catch (error) {
      const named = namedRows(error, pending);
      if (named.size === 0 || round === MAX_ROUNDS) throw error;
      const stored = (error as ApiError).code === "conflict" ? await storedContents(db, [...named.keys()].map((index) => pending[index]!)) : new Map();
      for (const [index, problem] of named) {
        const candidate = pending[index]!;
        const existing = stored.get(candidate.input.log_id);
        if (existing && isSameLog(existing, candidate.input)) outcome.alreadyThere++;
        else outcome.refused.push({ line: candidate.line, problems: [problem] });
      }
      pending = pending.filter((_, index) => !named.has(index));
    }
  }
  return outcome;
}

/**
 * Our CSV export writes the time in UTC rather than the timestamp as sent, and
 * an empty message as nothing, so a log read back from it is the same log when
 * the instant and every other field agree. The legacy verdict is left out: a
 * file imported first without the legacy key and then with it is already there.
 */
export function isSameLog(stored: LogContent, input: LogInput): boolean {
  return comparableKey(stored) === comparableKey(logContentOf(input, new Date()));
}

function comparableKey({ timestamp_defaulted: _defaulted, metadata, message, ...content }: LogContent): string {
  const { [LEGACY_METADATA.verdict]: _verdict, ...rest } = metadata ?? {};
  return contentKey({
    ...content,
    timestamp: new Date(content.timestamp).toISOString(),
    ...(message ? { message } : {}),
    ...(metadata ? { metadata: rest } : {}),
  });
}

/** The same log_id twice in a batch: the repeat is already there when it is the same log, else refused. */
function dropRepeats(candidates: Candidate[], outcome: BatchOutcome): Candidate[] {
  const first = new Map<string, Candidate>();
  for (const candidate of candidates) {
    const earlier = first.get(candidate.input.log_id);
    if (!earlier) first.set(candidate.input.log_id, candidate);
    else if (isSameLog(logContentOf(earlier.input, new Date()), candidate.input)) outcome.alreadyThere++;
    else outcome.refused.push({ line: candidate.line, problems: [{ field: "log_id", message: `'${candidate.input.log_id}' is also used on line ${earlier.line} with different content` }] });
  }
  return [...first.values()];
}

/** The rows not stored yet; a stored one is already there when it is the same log, else refused as ingestLogs refuses it. */
async function dropStored(db: Db, candidates: Candidate[], outcome: BatchOutcome, ingestedBy: string): Promise<Candidate[]> {
  const stored = await storedContents(db, candidates);
  return candidates.filter((candidate) => {
    const existing = stored.get(candidate.input.log_id);
    if (!existing) return true;
    // An imported row always has a timestamp, so ingestLogs' own identity is the narrower of the two.
    if (isSameLog(existing, candidate.input)) outcome.alreadyThere++;
    else outcome.refused.push({ line: candidate.line, problems: [{ field: "log_id", message: storedWithOtherContent(candidate.input.log_id, storedByOf(existing.ingested_by, ingestedBy)) }] });
    return false;
  });
}

/** Whether at least half the candidates' log_ids are stored: a sample of a file imported again. */
export async function isMostlyStored(db: Db, candidates: Candidate[]): Promise<boolean> {
  return (await storedContents(db, candidates)).size * 2 >= candidates.length;
}

/** The rows (by index in the batch) that ingestLogs refused, with its reason. */
function namedRows(error: unknown, pending: Candidate[]): Map<number, RowProblem> {
  const named = new Map<number, RowProblem>();
  if (!(error instanceof ApiError) || !["conflict", "validation_failed"].includes(error.code) || !Array.isArray(error.details)) return named;
  for (const { index, field, message } of error.details as FieldProblem[]) {
    if (index !== undefined && index < pending.length && !named.has(index)) named.set(index, { field, message });
  }
  return named;
}

const CONTENT_FIELDS = { timestamp: 1, timestamp_defaulted: 1, ip: 1, user: 1, action: 1, status: 1, source: 1, message: 1, metadata: 1, ingested_by: 1 } as const;

function storedContents(db: Db, candidates: Candidate[]): Promise<Map<string, LogContent & Pick<StoredLog, "ingested_by">>> {
  return findByIds(logsCollection(db), candidates.map((candidate) => candidate.input.log_id), { projection: CONTENT_FIELDS });
}
