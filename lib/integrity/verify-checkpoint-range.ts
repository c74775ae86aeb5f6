// Checks the logs of one checkpoint's sequence range against it. Memory is
// bounded by the range (checkpoints are written every minute), not by the
// total number of logs.
import type { Keyring } from "./keyring";
import { verifyLogMac } from "./mac";
import { logLeafHash, MerkleRootBuilder, voidLeafHash } from "./merkle";
import type { SignedLogFields } from "./canonical";

export type ProblemKind = "edited" | "deleted" | "inserted" | "reordered" | "copied" | "truncated" | "bad-checkpoint" | "unverifiable";
export type Problem = { kind: ProblemKind; sequence?: number; log_id?: string; checkpoint?: number; detail: string };

export type RangeLog = { fields: SignedLogFields; mac: string };
export type Range = { number: number; start: number; end: number; voids: number[]; root: string };

/** Problems found in one range, and how many logs were checked and valid. */
export function checkRange(range: Range, logs: RangeLog[], keyring: Keyring): { problems: Problem[]; checked: number; valid: number } {
  const voids = new Set(range.voids);
  const problems: Problem[] = [];
  const builder = new MerkleRootBuilder();
  const bySequence = new Map<number, RangeLog>();
  const suspects: RangeLog[] = [];
  const macOwners = new Map<string, number>();
  const extras: RangeLog[] = [];
  let valid = 0;

  for (const log of logs) {
    const { sequence, log_id } = log.fields;
    if (bySequence.has(sequence) || voids.has(sequence)) {
      extras.push(log);
      continue;
    }
    bySequence.set(sequence, log);
    const verdict = verifyLogMac({ ...log.fields, mac: log.mac }, keyring);
    if (verdict === "valid") {
      valid++;
      macOwners.set(log.mac, sequence);
    } else if (verdict === "unverifiable") {
      problems.push({ kind: "unverifiable", sequence, log_id, checkpoint: range.number, detail: `signed with key '${log.fields.key_id}', which is not in the keyring` });
    } else suspects.push(log);
  }

  const missing: number[] = [];
  for (let sequence = range.start; sequence < range.end; sequence++) {
    const log = bySequence.get(sequence);
    if (log) builder.add(logLeafHash(log.fields));
    else {
      builder.add(voidLeafHash(sequence));
      if (!voids.has(sequence)) missing.push(sequence);
    }
  }

  for (const { fields, mac } of extras) {
    const original = macOwners.get(mac);
    const where = { sequence: fields.sequence, log_id: fields.log_id, checkpoint: range.number };
    problems.push(
      original !== undefined
        ? { kind: "copied", ...where, detail: `a copy of the log at sequence ${original}` }
        : { kind: "inserted", ...where, detail: `a log at a sequence that checkpoint ${range.number} records as ${voids.has(fields.sequence) ? "void" : "taken by another log"}` },
    );
  }
  const moved = new Set<number>();
  for (const log of suspects) problems.push(classifySuspect(log, range, keyring, macOwners, [...missing, ...suspects.map((s) => s.fields.sequence)], moved));
  for (const sequence of missing) {
    if (!moved.has(sequence)) problems.push({ kind: "deleted", sequence, checkpoint: range.number, detail: `sequence ${sequence} is covered by checkpoint ${range.number} but no log has it` });
  }
  // With every log accounted for, the root must match: a mismatch means logs
  // were rewritten by someone holding the HMAC key.
  if (problems.length === 0 && builder.root().toString("hex") !== range.root) {
    problems.push({ kind: "edited", checkpoint: range.number, detail: `the logs of sequences ${range.start}–${range.end - 1} do not hash to the root checkpoint ${range.number} signed` });
  }
  return { problems, checked: logs.length, valid };
}

/** A log whose MAC fails: copied from another position, moved there, or edited in place. */
function classifySuspect(log: RangeLog, range: Range, keyring: Keyring, macOwners: Map<string, number>, candidates: number[], moved: Set<number>): Problem {
  const { sequence, log_id } = log.fields;
  const at = { sequence, log_id, checkpoint: range.number };
  const original = macOwners.get(log.mac);
  if (original !== undefined && original !== sequence) {
    return { kind: "copied", ...at, detail: `a copy of the log at sequence ${original}` };
  }
  const home = candidates.find((candidate) => candidate !== sequence && verifyLogMac({ ...log.fields, sequence: candidate, mac: log.mac }, keyring) === "valid");
  if (home !== undefined) {
    moved.add(home);
    return { kind: "reordered", ...at, detail: `belongs at sequence ${home}` };
  }
  return { kind: "edited", ...at, detail: "its content does not match its MAC" };
}
