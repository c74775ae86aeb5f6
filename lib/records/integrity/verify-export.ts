// The offline verifier: checks a verifiable export (export-format.ts) with no
// database, one checkpoint range in memory at a time. With the public keys it
// proves the checkpoint chain, that each range's lines hash to its signed root,
// and that no omitted log matches the export's filter; with the HMAC keyring
// too, every log's MAC.
import type { LeafSummary } from "./canonical";
import { CheckpointKeyError, publicKeySetFromJson, type PublicKeyInfo, type PublicKeySet } from "./checkpoint-keys";
import { verifyCheckpoint, type SignedCheckpoint } from "./checkpoint-record";
import { parseExportSelection, SelectionError, type ExportSelection } from "@/lib/records/logs/export-selection";
import type { MatchableLog } from "@/lib/records/logs/criteria-query";
import {
  parseExportLine,
  signedFieldsOfLine,
  summaryOfLine,
  type ParsedHeader,
  type ParsedLine,
} from "./export-format";
import type { Keyring } from "./keyring";
import { verifyLogMac } from "./mac";
import { summaryLeafHash } from "./merkle";
import { verifyPurge } from "./purge-record";
import { checkChain } from "./verify";
import { checkRange, type OmittedLog, type Problem, type RangeLog } from "./verify-checkpoint-range";

export type ExportVerifyReport = {
  ok: boolean;
  /** Log lines read. */
  checked: number;
  /** Log lines proven authentic: by their MAC with a keyring, else by their range's signed root. */
  valid: number;
  omitted: number;
  /** Log lines after the last checkpoint: authentic by MAC at most, completeness not yet provable. */
  pending: number;
  checkpoints: number;
  /** Whether MACs were checked (a keyring was given). */
  macs_checked: boolean;
  /** Where the public keys came from: a file the auditor trusts, or the export itself (proves consistency, not origin). */
  keys_from: "file" | "export";
  filter: string;
  /** The sequences for which the export proves completeness against its filter, if any. */
  complete_for: { from_sequence: number; to_sequence: number } | null;
  problem_count: number;
  problems: Problem[];
};

export class ExportFormatError extends Error {
  override name = "ExportFormatError";
}

const MAX_LISTED_PROBLEMS = 1_000;

type OpenRange = { checkpoint: SignedCheckpoint; logs: RangeLog[]; omitted: OmittedLog[]; trusted: boolean };

/**
 * `purge`: a signed purge record (from a backup's purges.ndjson): an export
 * that starts after the checkpoint it names is then complete, because every
 * log before it was purged on purpose. It must verify with the same public keys.
 */
export async function verifyExport(
  lines: AsyncIterable<string> | Iterable<string>,
  keys: { publicKeys?: PublicKeySet; keyring: Keyring | null },
  options: { purge?: unknown } = {},
): Promise<ExportVerifyReport> {
  const problems: Problem[] = [];
  let problemCount = 0;
  const report = (...found: Problem[]) => {
    problemCount += found.length;
    problems.push(...found.slice(0, Math.max(0, MAX_LISTED_PROBLEMS - problems.length)));
  };
  const counts = { checked: 0, valid: 0, omitted: 0, pending: 0, checkpoints: 0 };
  let header: ParsedHeader | null = null;
  let selection: ExportSelection | null = null;
  const exportKeys: { key_id: string; pem: string; active: boolean }[] = [];
  let publicKeys = keys.publicKeys;
  let previous: SignedCheckpoint | null = null;
  let open: OpenRange | null = null;
  let lastSequence = -1;
  let lineNumber = 0;
  let completeFrom: number | null = null;

  const closeRange = () => {
    if (!open?.trusted) {
      open = null;
      return;
    }
    const { checkpoint } = open;
    const result = checkRange(
      {
        number: checkpoint.number,
        start: checkpoint.start_sequence,
        end: checkpoint.end_sequence,
        voids: checkpoint.voids,
        root: checkpoint.root,
      },
      open.logs,
      keys.keyring,
      open.omitted,
    );
    report(...result.problems);
    counts.valid += result.valid;
    open = null;
  };

  for await (const text of lines) {
    lineNumber++;
    if (text.trim() === "") continue;
    const parsed = parseExportLine(text);
    if (!header) {
      if (!("line" in parsed) || parsed.line.type !== "export") {
        throw new ExportFormatError(
          `line ${lineNumber}: not a Ledgerline verifiable export (the first line must be its "export" header${"error" in parsed ? `; ${parsed.error}` : ""})`,
        );
      }
      header = parsed.line;
      selection = parseSelection(header.filter);
      continue;
    }
    if ("error" in parsed) {
      report({ kind: "edited", line: lineNumber, detail: `line ${lineNumber} ${parsed.error}` });
      continue;
    }
    const line: ParsedLine = parsed.line;
    switch (line.type) {
      case "export":
        report({ kind: "inserted", line: lineNumber, detail: "a second export header" });
        break;
      case "key":
        exportKeys.push({ key_id: line.key_id, pem: line.pem, active: line.active });
        break;
      case "checkpoint": {
        closeRange();
        publicKeys ??= keysFromExport(exportKeys);
        const { type: _type, ...body } = line;
        counts.checkpoints++;
        if (line.number < header.first_checkpoint) {
          const verdict = verifyCheckpoint(body, publicKeys);
          if (verdict.verdict !== "valid")
            report({
              kind: "bad-checkpoint",
              checkpoint: line.number,
              line: lineNumber,
              detail: `the anchor checkpoint does not verify: ${verdict.reason}`,
            });
          else previous = verdict.checkpoint;
          const purged = options.purge === undefined ? null : verifyPurge(options.purge, publicKeys);
          if (options.purge !== undefined && !purged)
            report({ kind: "bad-checkpoint", line: lineNumber, detail: "the purge record does not verify" });
          const anchor = verdict.verdict === "valid" ? verdict.checkpoint : null;
          const isPurgeAnchor =
            purged !== null &&
            anchor?.number === purged.through_checkpoint &&
            anchor.digest === purged.checkpoint_digest;
          if (!isPurgeAnchor) report(...checkAnchor(anchor, line.number, header, selection!, lineNumber));
          break;
        }
        const verdict = verifyCheckpoint(body, publicKeys);
        const checkpoint = verdict.verdict === "valid" ? verdict.checkpoint : (body as unknown as SignedCheckpoint);
        report(...checkChain(checkpoint, previous, publicKeys).map((p) => ({ ...p, line: lineNumber })));
        if (previous === null && line.number !== header.first_checkpoint) {
          report({
            kind: "bad-checkpoint",
            checkpoint: header.first_checkpoint,
            detail: `the export's first range, checkpoint ${header.first_checkpoint}, is missing`,
          });
        }
        previous = checkpoint;
        completeFrom ??= checkpoint.start_sequence;
        // A range under a checkpoint that does not verify is read but proves nothing.
        if (Number.isSafeInteger(checkpoint.start_sequence) && Number.isSafeInteger(checkpoint.end_sequence)) {
          open = { checkpoint, logs: [], omitted: [], trusted: verdict.verdict === "valid" };
        }
        break;
      }
      case "log":
      case "omitted": {
        const where = { sequence: line.sequence, line: lineNumber };
        if (line.sequence <= lastSequence)
          report({
            kind: "reordered",
            ...where,
            ...(line.type === "log" && { log_id: line.log_id }),
            detail: `line ${lineNumber} comes after a line with a later or equal sequence (${lastSequence})`,
          });
        lastSequence = Math.max(lastSequence, line.sequence);
        if (line.type === "omitted") {
          counts.omitted++;
          const summary = summaryOfLine(line);
          if (selection!.surelyMatches(filterableSummary(summary))) {
            report({
              kind: "deleted",
              ...where,
              detail: "a log that matches the export's filter was left out (its summary is in an omitted line)",
            });
          }
          if (open && inRange(open.checkpoint, line.sequence))
            open.omitted.push({
              sequence: line.sequence,
              leaf: summaryLeafHash(summary, Buffer.from(line.content_digest, "hex")),
              line: lineNumber,
            });
          else
            report({
              kind: "inserted",
              ...where,
              detail: "an omitted line outside the range of the checkpoint before it",
            });
          break;
        }
        counts.checked++;
        const fields = signedFieldsOfLine(line);
        if (open && inRange(open.checkpoint, line.sequence))
          open.logs.push({ fields, mac: line.mac, line: lineNumber });
        else if (previous && line.sequence >= previous.end_sequence && previous.number >= header.last_checkpoint) {
          counts.pending++;
          const verdict = keys.keyring ? verifyLogMac({ ...fields, mac: line.mac }, keys.keyring) : "unchecked";
          if (verdict === "valid") counts.valid++;
          else if (verdict !== "unchecked")
            report({
              kind: verdict === "unverifiable" ? "unverifiable" : "edited",
              ...where,
              log_id: line.log_id,
              detail: "a log newer than the last checkpoint whose MAC does not verify",
            });
        } else if (!previous && header.last_checkpoint === 0) {
          counts.pending++;
        } else
          report({
            kind: "inserted",
            ...where,
            log_id: line.log_id,
            detail: "a log line outside the range of the checkpoint before it",
          });
        break;
      }
    }
  }
  if (!header) throw new ExportFormatError("the file is empty: not a Ledgerline verifiable export");
  closeRange();

  const reached = previous?.number ?? 0;
  if (reached < header.last_checkpoint) {
    report({
      kind: "truncated",
      checkpoint: reached + 1,
      detail: `the export ends at checkpoint ${reached}, but its header announces ranges up to checkpoint ${header.last_checkpoint}`,
    });
  }
  for (const problem of problems) {
    if (problem.kind === "deleted" && problem.line === undefined && problem.sequence! > lastSequence)
      problem.kind = "truncated";
  }
  return {
    ok: problemCount === 0,
    ...counts,
    macs_checked: keys.keyring !== null,
    keys_from: keys.publicKeys ? "file" : "export",
    filter: header.filter,
    complete_for:
      previous && completeFrom !== null
        ? { from_sequence: completeFrom, to_sequence: previous.end_sequence - 1 }
        : null,
    problem_count: problemCount,
    problems,
  };
}

function parseSelection(filter: string): ExportSelection {
  try {
    return parseExportSelection(filter);
  } catch (error) {
    if (error instanceof SelectionError)
      throw new ExportFormatError(`the export header's filter is not valid: ${error.message}`);
    throw error;
  }
}

function keysFromExport(keys: PublicKeyInfo[]): PublicKeySet {
  try {
    return publicKeySetFromJson({ keys });
  } catch (error) {
    if (error instanceof CheckpointKeyError)
      throw new ExportFormatError(`the export's own key lines cannot be used (${error.message}); pass --public-key`);
    throw error;
  }
}

/**
 * The checkpoint before the first range proves that no earlier log matches:
 * it must be exactly that one, and created more than the future-skew bound
 * before the filter's `from`.
 */
function checkAnchor(
  checkpoint: SignedCheckpoint | null,
  number: number,
  header: ParsedHeader,
  selection: ExportSelection,
  line: number,
): Problem[] {
  const at = { checkpoint: number, line };
  if (number !== header.first_checkpoint - 1)
    return [
      {
        kind: "bad-checkpoint",
        ...at,
        detail: `checkpoint ${number} is neither in the export's ranges nor the anchor before them`,
      },
    ];
  if (!selection.from)
    return [
      {
        kind: "deleted",
        ...at,
        detail: `the filter selects logs of all times, but the export starts after checkpoint ${number}`,
      },
    ];
  if (
    checkpoint &&
    checkpoint.created_at.getTime() + header.max_future_skew_seconds * 1000 >= selection.from.getTime()
  ) {
    return [
      {
        kind: "deleted",
        ...at,
        detail: `the export starts after checkpoint ${number}, created ${checkpoint.created_at.toISOString()}: logs received after ${new Date(selection.from.getTime() - header.max_future_skew_seconds * 1000).toISOString()} may match the filter and are not in the export`,
      },
    ];
  }
  return [];
}

function inRange(checkpoint: SignedCheckpoint, sequence: number): boolean {
  return sequence >= checkpoint.start_sequence && sequence < checkpoint.end_sequence;
}

function filterableSummary(summary: LeafSummary): MatchableLog {
  return {
    time: new Date(summary.timestamp),
    ip: summary.ip,
    user: summary.user,
    action: summary.action,
    status: summary.status,
    ...(summary.source !== undefined && { source: summary.source }),
    ...(summary.ingested_by !== undefined && { ingested_by: summary.ingested_by }),
  };
}
