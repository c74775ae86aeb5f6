// Restores a backup folder, after verifyBackup passed, into an empty database
// or into the one it came from by adding only what is missing. Every conflict
// (a sequence or checkpoint number taken by something else) is found in a
// read-only pass first, so a refused restore writes nothing of the backup
// (only its audit entry, in a database that holds a history). Then: rollups
// and per-user baselines rebuilt, the chain's hints set so ingestion carries on, the restore audited
// and the stored logs verified. Stop the app first, as for a reset.
import path from "node:path";
import type { Collection, Db, Document } from "mongodb";
import { duplicateIndexesOf } from "@/lib/platform/db/errors";
import type { z } from "zod";
import { rebuildAlertIndex } from "@/lib/derived/alerts/alert-index-rebuild";
import { rebuildBaselines, type BaselineRebuildResult } from "@/lib/derived/alerts/baseline-rebuild";
import { rebuildSearchLayout, type SearchRebuildResult } from "@/lib/derived/search/rebuild";
import { boundedText } from "@/lib/records/audit/aggregated-events";
import { recordSecurityEvent, type Actor } from "@/lib/records/audit/security-events";
import { getConfig } from "@/lib/foundation/config";
import { COLLECTIONS } from "@/lib/platform/db/collections";
import type { PublicKeySet } from "@/lib/records/integrity/checkpoint-keys";
import type { Keyring } from "@/lib/records/integrity/keyring";
import { verifyCheckpoint } from "@/lib/records/integrity/checkpoint-record";
import { advanceHead, checkpointsCollection, latestStoredCheckpoint } from "@/lib/records/integrity/checkpoints";
import { latestValidPurge } from "@/lib/records/integrity/purge-record";
import { verifyStoredLogs, type VerifyReport } from "@/lib/records/integrity/verify";
import { markDerived } from "@/lib/derived/derivation/derive";
import { rebuildRollups, type RebuildResult } from "@/lib/derived/rollups/rebuild";
import { storedFormsOf } from "@/lib/derived/alerts/suppression-store";
import {
  AlertLine,
  ApiKeyLine,
  BACKUP_FILES,
  CheckpointLine,
  PurgeLine,
  SuppressionRuleLine,
  TotpFactorLine,
  UserLine,
  holdsSuppressionRules,
  holdsTotpFactors,
  type BackupCounts,
  type DataFile,
} from "./format";
import { jsonLines } from "./files";
import { openBackupFolder, type BackupFolder } from "./folder";
import { orSortedOnOutOfOrder } from "@/lib/records/logs/sequence-order";
import { applyLogVerdicts, compareLogs, logLinesOf, settleUncheckpointed } from "./restore-logs";
import { checkTotpKey, factorsWithUser, type FactorTally, type TotpKeyCheck } from "./restore-totp";
import { backupPublicKeys, verifyBackup, type BackupCheck, type BackupKeys } from "./verify-backup";

export type RestoreResult = {
  status: "refused" | "restored";
  check: BackupCheck;
  /** `empty`: the database held no logs, checkpoints or purges; `merge`: only what is missing was added. */
  mode: "empty" | "merge" | null;
  /** Why the database refuses the backup (at most MAX_LISTED), and how many reasons in all. */
  conflicts: string[];
  conflict_count: number;
  added: BackupCounts;
  /** Already in the database (same _id; for users and API keys also the same email or name; a user's TOTP factor by user). */
  already_present: BackupCounts;
  /** Removals of suppression rules added, for rules added and for rules the database held still active. */
  suppression_removals_added: number;
  /** TOTP factors left out: the database holds no user with their id. */
  totp_factors_without_user: number;
  /** Whether LEDGERLINE_TOTP_KEY opens the backup's TOTP factors (null: it holds none). */
  totp_key: TotpKeyCheck;
  /** Backup logs the database's own retention has purged since: left out. */
  purged_in_database: number;
  /** Null when no log or checkpoint was added (the rollups stand as they were). */
  rollups: RebuildResult | null;
  /** Null when no log or checkpoint was added (the baselines stand as they were). */
  baselines: BaselineRebuildResult | null;
  search: SearchRebuildResult | null;
  audited: boolean;
  /** Whether the HMAC keyring was at hand: without it newer logs are unverifiable (never tampered). */
  macs_checked: boolean;
  verification: VerifyReport | null;
};

const MAX_LISTED = 50;
const BATCH = 1_000;
const CHECKPOINT_BATCH = 5_000;

export async function restoreBackup(db: Db, folder: string, keys: BackupKeys, actor: Actor): Promise<RestoreResult> {
  const check = await verifyBackup(folder, keys);
  const zero = (): BackupCounts => ({
    logs: 0,
    checkpoints: 0,
    purges: 0,
    users: 0,
    api_keys: 0,
    alerts: 0,
    suppression_rules: 0,
    totp_factors: 0,
  });
  const result: RestoreResult = {
    status: "refused",
    check,
    mode: null,
    conflicts: [],
    conflict_count: 0,
    added: zero(),
    already_present: zero(),
    suppression_removals_added: 0,
    totp_factors_without_user: 0,
    totp_key: null,
    purged_in_database: 0,
    rollups: null,
    baselines: null,
    search: null,
    audited: false,
    macs_checked: keys.keyring !== null,
    verification: null,
  };
  if (!check.ok) return auditRefusal(db, result, folder, keys.keyring, actor);

  const backup = await openBackupFolder(folder, keys.identities);
  const publicKeys = keys.publicKeys ?? (await backupPublicKeys(backup));
  result.mode = (await isEmpty(db)) ? "empty" : "merge";
  const purgedBelow = (await latestValidPurge(db, publicKeys))?.through_sequence ?? 0;
  const backupLogs = () => logLinesOf(backup.lines(BACKUP_FILES.logs).lines);

  const conflict = (message: string) => {
    result.conflict_count++;
    if (result.conflicts.length < MAX_LISTED) result.conflicts.push(message);
  };
  await findCheckpointConflicts(db, parsed(backup, BACKUP_FILES.checkpoints, CheckpointLine), conflict);
  const merging = result.mode === "merge";
  const checkpointConflicts = { count: result.conflict_count, listed: result.conflicts.length };
  const { logs, sorted } = await orSortedOnOutOfOrder(async (sorted) => {
    // A second attempt lists the logs' conflicts afresh.
    result.conflict_count = checkpointConflicts.count;
    result.conflicts.length = checkpointConflicts.listed;
    const logs = await applyLogVerdicts(compareLogs(db, backupLogs(), { purgedBelow, checkIds: merging, sorted }), db, {
      insert: false,
      onConflict: conflict,
    });
    return { logs, sorted };
  });
  if (result.conflict_count > 0) return auditRefusal(db, result, folder, keys.keyring, actor);

  const count = async (name: keyof BackupCounts, collection: string, docs: AsyncIterable<Document>) => {
    const { added, present } = await insertMissing(db.collection(collection), docs);
    result.added[name] = added;
    result.already_present[name] = present;
  };
  await count("purges", COLLECTIONS.purges, purgeDocs(backup));
  await count("checkpoints", COLLECTIONS.checkpoints, checkpointDocs(backup, publicKeys));
  if (logs.missing > 0) {
    const changed = (message: string) => {
      throw new Error(`the database changed during the restore: ${message}`);
    };
    await applyLogVerdicts(compareLogs(db, backupLogs(), { purgedBelow, checkIds: false, sorted }), db, {
      insert: true,
      onConflict: changed,
      misplaced: merging,
    });
  }
  result.added.logs = logs.missing;
  result.already_present.logs = logs.present;
  result.purged_in_database = logs.purged;
  await count("users", COLLECTIONS.users, parsed(backup, BACKUP_FILES.users, UserLine));
  await count("api_keys", COLLECTIONS.apiKeys, parsed(backup, BACKUP_FILES.apiKeys, ApiKeyLine));
  await count("alerts", COLLECTIONS.alerts, parsed(backup, BACKUP_FILES.alerts, AlertLine));
  if (holdsSuppressionRules(check.manifest)) {
    // Removals first: a restore stopped between the two never leaves a removed rule active.
    result.suppression_removals_added = (
      await insertMissing(db.collection(COLLECTIONS.suppressionRemovals), suppressionDocs(backup, "removal"))
    ).added;
    await count("suppression_rules", COLLECTIONS.suppressionRules, suppressionDocs(backup, "rule"));
  }
  if (holdsTotpFactors(check.manifest)) {
    const factors: FactorTally = { withoutUser: 0, first: null };
    await count(
      "totp_factors",
      COLLECTIONS.totpFactors,
      factorsWithUser(db, parsed(backup, BACKUP_FILES.totpFactors, TotpFactorLine), factors),
    );
    result.totp_factors_without_user = factors.withoutUser;
    result.totp_key = checkTotpKey(factors.first);
  }

  // Ingestion and the checkpoint writer carry on from here.
  const head = await latestStoredCheckpoint(db);
  if (head) await advanceHead(db, head);
  await settleUncheckpointed(db, Math.max(logs.maxSequence + 1, head?.end_sequence ?? 1));
  // Rollups and baselines derive from the logs of the checkpointed ranges: only new ones change them.
  // The restored alerts stand for detection: the head counts as derived, and the rebuild counts its logs.
  if (result.added.logs + result.added.checkpoints > 0) {
    if (head) await markDerived(db, head);
    result.rollups = await rebuildRollups(db);
    result.baselines = await rebuildBaselines(db, getConfig().anomaly);
    result.search = await rebuildSearchLayout(db);
  }
  // Restored alerts have no rows in the alert index until it is rebuilt.
  if (result.added.alerts > 0) await rebuildAlertIndex(db);

  if (keys.keyring) {
    await recordSecurityEvent(db, {
      ...actor,
      action: "backup_restored",
      status: "success",
      message: `restored ${result.added.logs} logs and ${result.added.checkpoints} checkpoints from ${path.basename(folder)} (${result.mode})`,
      metadata: {
        backup: path.basename(folder),
        mode: result.mode,
        ...prefixed("added_", result.added),
        added_suppression_removals: result.suppression_removals_added,
      },
    });
    result.audited = true;
  }
  result.verification = await verifyStoredLogs(db, { keyring: keys.keyring, publicKeys });
  result.status = "restored";
  return result;
}

/**
 * Records a refused restore in a database that holds a history. An empty
 * database stays empty, so that the right backup can still be restored into
 * it (an audit log would take the sequence numbers the backup's logs hold).
 */
async function auditRefusal(
  db: Db,
  result: RestoreResult,
  folder: string,
  keyring: Keyring | null,
  actor: Actor,
): Promise<RestoreResult> {
  if (!keyring || (result.mode ?? ((await isEmpty(db)) ? "empty" : "merge")) === "empty") return result;
  const [reason, count, problems] = result.check.ok
    ? (["database_conflicts", result.conflict_count, result.conflicts] as const)
    : (["backup_does_not_verify", result.check.problem_count, result.check.problems] as const);
  const backup = boundedText(path.basename(folder), 256);
  await recordSecurityEvent(db, {
    ...actor,
    action: "backup_restore_refused",
    status: "failed",
    message: boundedText(
      `refused to restore ${backup}: ${count} ${reason === "database_conflicts" ? "conflicts with the database" : "problems in the backup"}; first: ${problems[0] ?? "-"}`,
      1_000,
    ),
    metadata: { backup, reason, problems: count },
  });
  result.audited = true;
  return result;
}

async function isEmpty(db: Db): Promise<boolean> {
  for (const name of [COLLECTIONS.logs, COLLECTIONS.checkpoints, COLLECTIONS.purges]) {
    if (await db.collection(name).findOne({}, { projection: { _id: 1 } })) return false;
  }
  return true;
}

/** A checkpoint number the database holds with another digest: not the database the backup came from. */
async function findCheckpointConflicts(
  db: Db,
  lines: AsyncIterable<z.infer<typeof CheckpointLine>>,
  conflict: (message: string) => void,
): Promise<void> {
  let batch: z.infer<typeof CheckpointLine>[] = [];
  const compare = async () => {
    if (batch.length === 0) return;
    const range = { $gte: batch[0]!.number, $lte: batch.at(-1)!.number };
    const stored = await checkpointsCollection(db)
      .find({ _id: range }, { projection: { digest: 1 } })
      .toArray();
    const digests = new Map(stored.map((checkpoint) => [checkpoint._id, checkpoint.digest]));
    for (const checkpoint of batch) {
      const digest = digests.get(checkpoint.number);
      if (digest !== undefined && digest !== checkpoint.digest)
        conflict(
          `checkpoint ${checkpoint.number} in the database differs from the backup's: this is not the database the backup came from, or its history was rewritten`,
        );
    }
    batch = [];
  };
  for await (const checkpoint of lines) {
    batch.push(checkpoint);
    if (batch.length >= CHECKPOINT_BATCH) await compare();
  }
  await compare();
}

/** Inserts in batches, keeping whatever is already stored under the same unique key. */
async function insertMissing(
  collection: Collection,
  docs: AsyncIterable<Document>,
): Promise<{ added: number; present: number }> {
  const counts = { added: 0, present: 0 };
  let batch: Document[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    let present = 0;
    try {
      await collection.insertMany(batch, { ordered: false, writeConcern: { w: "majority", j: true } });
    } catch (error) {
      const duplicates = duplicateIndexesOf(error);
      if (duplicates === undefined) throw error;
      present = duplicates.length;
    }
    counts.added += batch.length - present;
    counts.present += present;
    batch = [];
  };
  for await (const doc of docs) {
    batch.push(doc);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return counts;
}

/** The records of a file the verification already read: a line that no longer parses means the file changed meanwhile. */
async function* parsed<S extends z.ZodType>(
  backup: BackupFolder,
  name: DataFile,
  schema: S,
): AsyncGenerator<z.infer<S>> {
  for await (const entry of jsonLines(backup.lines(name).lines)) {
    const record = "value" in entry ? schema.safeParse(entry.value) : null;
    if (!record?.success) throw new Error(`${name} line ${entry.line} changed after it was verified`);
    yield record.data;
  }
}

async function* purgeDocs(backup: BackupFolder): AsyncGenerator<Document> {
  for await (const purge of parsed(backup, BACKUP_FILES.purges, PurgeLine))
    yield { _id: purge.through_checkpoint, ...purge };
}

async function* checkpointDocs(backup: BackupFolder, publicKeys: PublicKeySet): AsyncGenerator<Document> {
  for await (const line of parsed(backup, BACKUP_FILES.checkpoints, CheckpointLine)) {
    const verdict = verifyCheckpoint(line, publicKeys);
    if (verdict.verdict !== "valid") throw new Error(`checkpoint ${line.number} changed after it was verified`);
    const { number, ...rest } = verdict.checkpoint;
    yield { _id: number, ...rest };
  }
}

/** The backup's rules, or their removals, as the two collections hold them. */
async function* suppressionDocs(backup: BackupFolder, part: "rule" | "removal"): AsyncGenerator<Document> {
  for await (const line of parsed(backup, BACKUP_FILES.suppressionRules, SuppressionRuleLine)) {
    const doc = storedFormsOf(line)[part];
    if (doc) yield doc;
  }
}

function prefixed(prefix: string, counts: BackupCounts): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([name, count]) => [`${prefix}${name}`, count]));
}
