// The streaming verifier: walks checkpoints and logs in sequence order side by
// side, holding one checkpoint's range at a time, and reports every problem
// with its kind, sequence and log_id. Logs come in the collection's natural
// order put back in sequence order (lib/records/logs/sequence-order.ts), or sorted by
// the server when they lie too far from their places.
import type { Db } from "mongodb";
import { signedFieldsOf, type StoredLog } from "@/lib/records/logs/record";
import {
  logsInOrder,
  logsSortedBySequence,
  orSortedOnOutOfOrder,
  type SequenceRange,
} from "@/lib/records/logs/sequence-order";
import type { PublicKeySet } from "./checkpoint-keys";
import { verifyCheckpoint, type SignedCheckpoint } from "./checkpoint-record";
import { checkpointsCollection, lastCheckpointCreatedBefore, toSignedCheckpoint } from "./checkpoints";
import type { Keyring } from "./keyring";
import { purgesCollection, verifyPurge, type SignedPurge } from "./purge-record";
import { verifyLogMac } from "./mac";
import { checkRange, type Problem, type RangeLog } from "./verify-checkpoint-range";

export type { Problem, ProblemKind } from "./verify-checkpoint-range";

export type VerifyReport = {
  ok: boolean;
  checked: number;
  valid: number;
  /** Logs newer than the last checkpoint: their MACs are checked, their completeness not yet. */
  pending: number;
  checkpoints: number;
  problem_count: number;
  problems: Problem[];
  /** The receive-time window verified (null: unbounded). */
  window: { from: Date | null; to: Date | null };
  /** Sequences below this were purged by the retention job under a valid signed purge record. */
  purged_through_sequence: number | null;
  started_at: Date;
  finished_at: Date;
};

const MAX_LISTED_PROBLEMS = 1_000;

/**
 * Logs received in [from, to], at checkpoint granularity: from the first
 * checkpoint created at or after `from` (it covers logs received up to then)
 * through the first created after `to`, or to the newest log without `to`.
 */
export type VerifyWindow = { from?: Date; to?: Date };

/**
 * Without a keyring (a database restored without its HMAC keys) checkpointed
 * logs are proven by their signed roots alone, and newer ones are unverifiable.
 */
export async function verifyStoredLogs(db: Db, keys: Keys, window: VerifyWindow = {}): Promise<VerifyReport> {
  return orSortedOnOutOfOrder((serverSorted) =>
    verifyInOrder(db, keys, window, serverSorted ? logsSortedBySequence : logsInOrder),
  );
}

type Keys = { keyring: Keyring | null; publicKeys: PublicKeySet };
type LogSource = (db: Db, range: SequenceRange) => AsyncGenerator<StoredLog>;

async function verifyInOrder(db: Db, keys: Keys, window: VerifyWindow, source: LogSource): Promise<VerifyReport> {
  const started_at = new Date();
  const { anchor, last } = await checkpointWindow(db, window);
  const purge = await purgeStatus(db, keys.publicKeys);
  // Logs the retention job purged (or is purging) are expected to be gone.
  const firstSequence = Math.max(anchor?.end_sequence ?? 0, purge.valid?.through_sequence ?? 0);
  const logs = source(db, { from: firstSequence, ...(last && { to: last.end_sequence }) });
  const logCursor = { next: async () => (await logs.next()).value ?? null };
  let nextLog = await logCursor.next();
  const problems: Problem[] = [];
  let problemCount = 0;
  const report = (found: Problem[]) => {
    problemCount += found.length;
    problems.push(...found.slice(0, Math.max(0, MAX_LISTED_PROBLEMS - problems.length)));
  };
  report(purge.problems);
  let checked = 0;
  let valid = 0;
  let checkpoints = 0;
  let lastSequenceSeen = 0;
  let previous: SignedCheckpoint | null = anchor;
  const numbers = { $gt: anchor?.number ?? 0, ...(last && { $lte: last.number }) };

  for await (const stored of checkpointsCollection(db).find({ _id: numbers }).sort({ _id: 1 })) {
    const checkpoint = toSignedCheckpoint(stored);
    checkpoints++;
    report(checkChain(checkpoint, previous, keys.publicKeys));
    if (purge.valid && checkpoint.number <= purge.valid.through_checkpoint) {
      if (checkpoint.number === purge.valid.through_checkpoint && checkpoint.digest !== purge.valid.checkpoint_digest) {
        report([
          {
            kind: "bad-checkpoint",
            checkpoint: checkpoint.number,
            detail: "differs from the checkpoint the purge record names",
          },
        ]);
      }
      previous = checkpoint;
      continue;
    }
    const rangeLogs: RangeLog[] = [];
    while (nextLog && nextLog.sequence < checkpoint.end_sequence) {
      lastSequenceSeen = nextLog.sequence;
      if (nextLog.sequence < checkpoint.start_sequence) {
        report([
          {
            kind: "inserted",
            sequence: nextLog.sequence,
            log_id: nextLog._id,
            detail: "a log at a sequence no checkpoint covers",
          },
        ]);
        checked++;
      } else rangeLogs.push(asRangeLog(nextLog));
      nextLog = await logCursor.next();
    }
    const result = checkRange(
      {
        number: checkpoint.number,
        start: checkpoint.start_sequence,
        end: checkpoint.end_sequence,
        voids: checkpoint.voids,
        root: checkpoint.root,
      },
      rangeLogs,
      keys.keyring,
    );
    report(result.problems);
    checked += result.checked;
    valid += result.valid;
    previous = checkpoint;
  }

  let pending = 0;
  for (; nextLog; nextLog = await logCursor.next()) {
    lastSequenceSeen = nextLog.sequence;
    checked++;
    pending++;
    const verdict = keys.keyring
      ? verifyLogMac({ ...signedFieldsOf(nextLog), mac: nextLog.mac }, keys.keyring)
      : "unverifiable";
    if (verdict === "valid") valid++;
    else
      report([
        {
          kind: verdict === "unverifiable" ? "unverifiable" : "edited",
          sequence: nextLog.sequence,
          log_id: nextLog._id,
          detail: "a log newer than the last checkpoint whose MAC does not verify",
        },
      ]);
  }

  // Logs missing from the end of the covered history: the tail was cut off.
  for (const problem of problems) {
    if (!last && problem.kind === "deleted" && problem.sequence! > lastSequenceSeen) problem.kind = "truncated";
  }
  return {
    ok: problemCount === 0,
    checked,
    valid,
    pending,
    checkpoints,
    problem_count: problemCount,
    problems,
    window: { from: window.from ?? null, to: window.to ?? null },
    purged_through_sequence: purge.valid?.through_sequence ?? null,
    started_at,
    finished_at: new Date(),
  };
}

/** The purge record the verifier honours, and any record whose signature does not verify (a forged purge). */
async function purgeStatus(
  db: Db,
  publicKeys: PublicKeySet,
): Promise<{ valid: SignedPurge | null; problems: Problem[] }> {
  let valid: SignedPurge | null = null;
  const problems: Problem[] = [];
  for await (const record of purgesCollection(db).find().sort({ _id: -1 })) {
    const verified = verifyPurge(record, publicKeys);
    if (!verified)
      problems.push({
        kind: "bad-checkpoint",
        checkpoint: record._id,
        detail: `purge record ${record._id} does not verify: logs it names as purged count as deleted`,
      });
    else valid ??= verified;
  }
  return { valid, problems };
}

/** The checkpoint before the window (its chain anchor) and the window's last checkpoint (null: through the newest log). */
async function checkpointWindow(
  db: Db,
  { from, to }: VerifyWindow,
): Promise<{ anchor: SignedCheckpoint | null; last: SignedCheckpoint | null }> {
  const anchor = from ? await lastCheckpointCreatedBefore(db, from) : null;
  const [last] = to
    ? await checkpointsCollection(db)
        .find({ created_at: { $gt: to } })
        .sort({ _id: 1 })
        .limit(1)
        .toArray()
    : [];
  return { anchor, last: last ? toSignedCheckpoint(last) : null };
}

function asRangeLog(log: StoredLog): RangeLog {
  return { fields: signedFieldsOf(log), mac: log.mac };
}

export function checkChain(
  checkpoint: SignedCheckpoint,
  previous: SignedCheckpoint | null,
  publicKeys: PublicKeySet,
): Problem[] {
  const problems: Problem[] = [];
  const at = { kind: "bad-checkpoint" as const, checkpoint: checkpoint.number };
  const verdict = verifyCheckpoint(checkpoint, publicKeys);
  if (verdict.verdict !== "valid")
    problems.push({ ...at, detail: `signature or content check failed: ${verdict.reason}` });
  const expectedNumber = (previous?.number ?? 0) + 1;
  if (checkpoint.number !== expectedNumber) {
    problems.push({
      ...at,
      detail: `checkpoint ${expectedNumber}${checkpoint.number > expectedNumber + 1 ? `–${checkpoint.number - 1}` : ""} is missing`,
    });
  }
  if (checkpoint.previous_digest !== (previous?.digest ?? null))
    problems.push({ ...at, detail: "does not chain to the checkpoint before it" });
  if (checkpoint.start_sequence !== (previous?.end_sequence ?? 1)) {
    problems.push({
      ...at,
      detail: `starts at sequence ${checkpoint.start_sequence}, not where the previous one ended (${previous?.end_sequence ?? 1})`,
    });
  }
  return problems;
}
