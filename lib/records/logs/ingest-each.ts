// Ingestion with a verdict per log, at the cost of a batch: a log the batch
// cannot take (its log_id stored with other content or used twice in the
// batch with other content, a timestamp too far ahead) is refused alone and
// the rest is stored. The import's rows and the shippers' protocols use it.
import type { Db } from "mongodb";
import { findByIds } from "@/lib/platform/db/find-by-ids";
import { ApiError } from "@/lib/platform/http/errors";
import type { FieldProblem } from "@/lib/platform/http/validation";
import { logsCollection } from "./collection";
import { ingestLogsNamingDuplicates, storedByOf, storedWithOtherContent, type IngestOptions } from "./ingest";
import { contentKey, logContentOf, type LogContent, type StoredLog } from "./record";
import type { LogInput } from "./schemas";

export type IdentifiedInput = LogInput & { log_id: string };
export type LogProblem = { field: string; message: string };

export type LogVerdict =
  | { kind: "stored" }
  | { kind: "already_stored" }
  /** The log_id is used earlier in the batch, at `firstIndex`, with other content. */
  | { kind: "repeated"; firstIndex: number }
  /** The log_id is stored with other content. */
  | { kind: "conflict"; problem: LogProblem }
  | { kind: "refused"; problem: LogProblem };

/** Whether a stored log is the one this input describes. */
export type SameLog = (stored: LogContent, input: LogInput) => boolean;

export const isSameContent: SameLog = (stored, input) =>
  contentKey(stored) === contentKey(logContentOf(input, new Date()));

// Each round refuses at least one log or stores the rest; a few rounds cover what one batch can hold.
const MAX_ROUNDS = 5;

/**
 * `lookFirst`: look every log_id up before ingesting, and ingest only the logs
 * not stored yet. For a batch sent again this is cheaper than letting the
 * insert find the duplicates (which then costs the same lookups, plus
 * sequence numbers reserved and voided for nothing); the verdicts are the same.
 */
export async function ingestEach(
  db: Db,
  inputs: IdentifiedInput[],
  options: IngestOptions,
  how: { isSame?: SameLog; lookFirst?: boolean } = {},
): Promise<LogVerdict[]> {
  const isSame = how.isSame ?? isSameContent;
  const verdicts: LogVerdict[] = new Array(inputs.length);
  let pending = dropRepeats(inputs, verdicts, isSame);
  if (how.lookFirst) pending = await dropStored(db, inputs, pending, verdicts, isSame, options.ingestedBy);
  for (let round = 0; pending.length > 0; round++) {
    try {
      const { duplicateIds } = await ingestLogsNamingDuplicates(
        db,
        pending.map((index) => inputs[index]!),
        options,
      );
      const duplicates = new Set(duplicateIds);
      for (const index of pending)
        verdicts[index] = { kind: duplicates.has(inputs[index]!.log_id) ? "already_stored" : "stored" };
      break;
    } catch (error) {
      const named = namedLogs(error, pending.length);
      if (named.size === 0 || round === MAX_ROUNDS) throw error;
      const isConflict = (error as ApiError).code === "conflict";
      const stored = isConflict
        ? await storedContents(
            db,
            [...named.keys()].map((position) => inputs[pending[position]!]!),
          )
        : new Map();
      for (const [position, problem] of named) {
        const index = pending[position]!;
        const existing = stored.get(inputs[index]!.log_id);
        if (existing && isSame(existing, inputs[index]!)) verdicts[index] = { kind: "already_stored" };
        else verdicts[index] = { kind: isConflict ? "conflict" : "refused", problem };
      }
      pending = pending.filter((_, position) => !named.has(position));
    }
  }
  return verdicts;
}

/** Whether at least half the inputs' log_ids are stored: a sample of a batch sent again. */
export async function isMostlyStored(db: Db, inputs: IdentifiedInput[]): Promise<boolean> {
  return (await storedContents(db, inputs)).size * 2 >= inputs.length;
}

/** The same log_id twice in a batch: the repeat is already stored when it is the same log, else refused. Returns the indexes left. */
function dropRepeats(inputs: IdentifiedInput[], verdicts: LogVerdict[], isSame: SameLog): number[] {
  const first = new Map<string, number>();
  inputs.forEach((input, index) => {
    const earlier = first.get(input.log_id);
    if (earlier === undefined) first.set(input.log_id, index);
    else if (isSame(logContentOf(inputs[earlier]!, new Date()), input)) verdicts[index] = { kind: "already_stored" };
    else verdicts[index] = { kind: "repeated", firstIndex: earlier };
  });
  return [...first.values()];
}

/** The indexes not stored yet; a stored one is already stored when it is the same log, else a conflict as ingestLogs finds it. */
async function dropStored(
  db: Db,
  inputs: IdentifiedInput[],
  pending: number[],
  verdicts: LogVerdict[],
  isSame: SameLog,
  ingestedBy: string,
): Promise<number[]> {
  const stored = await storedContents(
    db,
    pending.map((index) => inputs[index]!),
  );
  return pending.filter((index) => {
    const input = inputs[index]!;
    const existing = stored.get(input.log_id);
    if (!existing) return true;
    if (isSame(existing, input)) verdicts[index] = { kind: "already_stored" };
    else
      verdicts[index] = {
        kind: "conflict",
        problem: {
          field: "log_id",
          message: storedWithOtherContent(input.log_id, storedByOf(existing.ingested_by, ingestedBy)),
        },
      };
    return false;
  });
}

/** The logs (by position in the batch) that ingestLogs refused, with its reason. */
function namedLogs(error: unknown, size: number): Map<number, LogProblem> {
  const named = new Map<number, LogProblem>();
  if (
    !(error instanceof ApiError) ||
    !["conflict", "validation_failed"].includes(error.code) ||
    !Array.isArray(error.details)
  )
    return named;
  for (const { index, field, message } of error.details as FieldProblem[]) {
    if (index !== undefined && index < size && !named.has(index)) named.set(index, { field, message });
  }
  return named;
}

const CONTENT_FIELDS = {
  timestamp: 1,
  timestamp_defaulted: 1,
  ip: 1,
  user: 1,
  action: 1,
  status: 1,
  source: 1,
  message: 1,
  metadata: 1,
  ingested_by: 1,
} as const;

function storedContents(
  db: Db,
  inputs: IdentifiedInput[],
): Promise<Map<string, LogContent & Pick<StoredLog, "ingested_by">>> {
  return findByIds(
    logsCollection(db),
    inputs.map((input) => input.log_id),
    { projection: CONTENT_FIELDS },
  );
}
