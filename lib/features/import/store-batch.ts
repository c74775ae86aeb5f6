// Stores one batch of validated rows with a verdict per row (lib/records/logs/ingest-each.ts),
// so that a row the batch cannot take is refused alone, by line, and the rest
// of the batch is still stored.
import type { Db } from "mongodb";
import { ingestEach, isMostlyStored as isMostlyStoredLogs, type IdentifiedInput } from "@/lib/records/logs/ingest-each";
import type { IngestOptions } from "@/lib/records/logs/ingest";
import { contentKey, logContentOf, type LogContent } from "@/lib/records/logs/record";
import type { LogInput } from "@/lib/records/logs/schemas";
import type { RowProblem } from "./dialects";
import { LEGACY_METADATA } from "@/lib/records/integrity/legacy-hash";

export type Candidate = { line: number; input: IdentifiedInput };
export type RefusedRow = { line: number; problems: RowProblem[] };
export type BatchOutcome = { imported: number; alreadyThere: number; refused: RefusedRow[] };

/** `lookFirst`: look every row's log_id up first, for a file imported again (lib/records/logs/ingest-each.ts). */
export async function storeBatch(
  db: Db,
  candidates: Candidate[],
  options: IngestOptions,
  lookFirst = false,
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { imported: 0, alreadyThere: 0, refused: [] };
  const verdicts = await ingestEach(
    db,
    candidates.map((candidate) => candidate.input),
    options,
    { isSame: isSameLog, lookFirst },
  );
  verdicts.forEach((verdict, index) => {
    const { line, input } = candidates[index]!;
    if (verdict.kind === "stored") outcome.imported++;
    else if (verdict.kind === "already_stored") outcome.alreadyThere++;
    else if (verdict.kind === "repeated") {
      const message = `'${input.log_id}' is also used on line ${candidates[verdict.firstIndex]!.line} with different content`;
      outcome.refused.push({ line, problems: [{ field: "log_id", message }] });
    } else outcome.refused.push({ line, problems: [verdict.problem] });
  });
  return outcome;
}

/** Whether at least half the candidates' log_ids are stored: a sample of a file imported again. */
export function isMostlyStored(db: Db, candidates: Candidate[]): Promise<boolean> {
  return isMostlyStoredLogs(
    db,
    candidates.map((candidate) => candidate.input),
  );
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
