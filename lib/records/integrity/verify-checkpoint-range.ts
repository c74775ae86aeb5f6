// Checks the logs of one checkpoint's sequence range against it. Memory is
// bounded by the range (checkpoints are written every minute), not by the
// total number of logs.
import type { Keyring } from "./keyring";
import { verifyLogMac } from "./mac";
import { logLeafHash, MerkleRootBuilder, voidLeafHash } from "./merkle";
import type { SignedLogFields } from "./canonical";

export type ProblemKind =
  "edited" | "deleted" | "inserted" | "reordered" | "copied" | "truncated" | "bad-checkpoint" | "unverifiable";
/** `line` is set for problems found in an export file. */
export type Problem = {
  kind: ProblemKind;
  sequence?: number;
  log_id?: string;
  checkpoint?: number;
  line?: number;
  detail: string;
};

export type RangeLog = { fields: SignedLogFields; mac: string; line?: number };
/** A log an export leaves out, known by its sequence and leaf hash only. */
export type OmittedLog = { sequence: number; leaf: Buffer; line?: number };
export type Range = { number: number; start: number; end: number; voids: number[]; root: string };

/**
 * Problems found in one range, and how many logs were checked and proven valid.
 * Without a keyring (an auditor holding only the public key) MACs are not
 * checked: the range's logs are valid when they hash to the signed root.
 */
export function checkRange(
  range: Range,
  logs: RangeLog[],
  keyring: Keyring | null,
  omitted: OmittedLog[] = [],
): { problems: Problem[]; checked: number; valid: number } {
  const voids = new Set(range.voids);
  const problems: Problem[] = [];
  const builder = new MerkleRootBuilder();
  const leaves = new Map<number, Buffer>();
  const suspects: RangeLog[] = [];
  const macOwners = new Map<string, number>();
  const extras: RangeLog[] = [];
  let valid = 0;

  for (const entry of omitted) {
    if (leaves.has(entry.sequence) || voids.has(entry.sequence)) {
      problems.push({
        kind: "inserted",
        sequence: entry.sequence,
        checkpoint: range.number,
        ...lineOf(entry),
        detail: `an omitted log at a sequence checkpoint ${range.number} records as ${voids.has(entry.sequence) ? "void" : "taken by another log"}`,
      });
    } else leaves.set(entry.sequence, entry.leaf);
  }
  for (const log of logs) {
    const { sequence, log_id } = log.fields;
    if (leaves.has(sequence) || voids.has(sequence)) {
      extras.push(log);
      continue;
    }
    leaves.set(sequence, logLeafHash(log.fields));
    const verdict = keyring ? verifyLogMac({ ...log.fields, mac: log.mac }, keyring) : "unchecked";
    if (verdict === "valid" || verdict === "unchecked") {
      if (verdict === "valid") valid++;
      if (!macOwners.has(log.mac)) macOwners.set(log.mac, sequence);
    } else if (verdict === "unverifiable") {
      problems.push({
        kind: "unverifiable",
        sequence,
        log_id,
        checkpoint: range.number,
        ...lineOf(log),
        detail: `signed with key '${log.fields.key_id}', which is not in the keyring`,
      });
    } else suspects.push(log);
  }

  const missing: number[] = [];
  for (let sequence = range.start; sequence < range.end; sequence++) {
    const leaf = leaves.get(sequence);
    if (leaf) builder.add(leaf);
    else {
      builder.add(voidLeafHash(sequence));
      if (!voids.has(sequence)) missing.push(sequence);
    }
  }

  for (const extra of extras) {
    const { fields, mac } = extra;
    const original = macOwners.get(mac);
    const where = { sequence: fields.sequence, log_id: fields.log_id, checkpoint: range.number, ...lineOf(extra) };
    problems.push(
      original !== undefined
        ? { kind: "copied", ...where, detail: `a copy of the log at sequence ${original}` }
        : {
            kind: "inserted",
            ...where,
            detail: `a log at a sequence that checkpoint ${range.number} records as ${voids.has(fields.sequence) ? "void" : "taken by another log"}`,
          },
    );
  }
  const moved = new Set<number>();
  for (const log of suspects)
    problems.push(
      classifySuspect(log, range, keyring!, macOwners, [...missing, ...suspects.map((s) => s.fields.sequence)], moved),
    );
  for (const sequence of missing) {
    if (!moved.has(sequence))
      problems.push({
        kind: "deleted",
        sequence,
        checkpoint: range.number,
        detail: `sequence ${sequence} is covered by checkpoint ${range.number} but no log has it`,
      });
  }
  // With every log accounted for, the root must match: a mismatch means logs
  // were rewritten by someone holding the HMAC key.
  const rootMatches = builder.root().toString("hex") === range.root;
  if (problems.length === 0 && !rootMatches) {
    problems.push({
      kind: "edited",
      checkpoint: range.number,
      detail: `the logs of sequences ${range.start}–${range.end - 1} do not hash to the root checkpoint ${range.number} signed`,
    });
  }
  if (!keyring && problems.length === 0) valid = logs.length;
  return { problems, checked: logs.length, valid };
}

/** A log whose MAC fails: copied from another position, moved there, or edited in place. */
function classifySuspect(
  log: RangeLog,
  range: Range,
  keyring: Keyring,
  macOwners: Map<string, number>,
  candidates: number[],
  moved: Set<number>,
): Problem {
  const { sequence, log_id } = log.fields;
  const at = { sequence, log_id, checkpoint: range.number, ...lineOf(log) };
  const original = macOwners.get(log.mac);
  if (original !== undefined && original !== sequence) {
    return { kind: "copied", ...at, detail: `a copy of the log at sequence ${original}` };
  }
  const home = candidates.find(
    (candidate) =>
      candidate !== sequence && verifyLogMac({ ...log.fields, sequence: candidate, mac: log.mac }, keyring) === "valid",
  );
  if (home !== undefined) {
    moved.add(home);
    return { kind: "reordered", ...at, detail: `belongs at sequence ${home}` };
  }
  return { kind: "edited", ...at, detail: "its content does not match its MAC" };
}

/** Problems found in the database carry no `line` key at all (not even undefined, which BSON would store as null). */
export function lineOf(entry: { line?: number }): { line?: number } {
  return entry.line === undefined ? {} : { line: entry.line };
}
