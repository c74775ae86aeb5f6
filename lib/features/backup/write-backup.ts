// Writes a backup folder (format.ts): each collection streamed from a cursor
// into its file, then the signed manifest. The folder is written under a
// `.partial` name and renamed at the end, so a folder with the final name is
// always complete. Rollups are derived and left out; no secret key is read (TOTP secrets go in sealed, as stored).
// Folders and files are owner-only: they hold every password hash and every log.
// Given age recipients, every file is encrypted to them (folder.ts names them).
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { Db } from "mongodb";
import { liveFieldsOverlay } from "@/lib/derived/alerts/active-alerts";
import { alertsCollection, type Alert } from "@/lib/derived/alerts/alert-record";
import { readActiveAlerts } from "@/lib/derived/alerts/detection-state";
import { readSuppressionRules } from "@/lib/derived/alerts/suppression-store";
import type { ApiKeyRecord } from "@/lib/records/auth/api-keys";
import { totpFactors } from "@/lib/records/auth/totp-factors";
import type { UserRecord } from "@/lib/records/auth/users";
import { COLLECTIONS } from "@/lib/platform/db/collections";
import type { CheckpointSigner } from "@/lib/records/integrity/checkpoint-keys";
import { checkpointsCollection, toSignedCheckpoint } from "@/lib/records/integrity/checkpoints";
import { verifiableExport } from "@/lib/records/integrity/export";
import { purgesCollection } from "@/lib/records/integrity/purge-record";
import { parseExportSelection } from "@/lib/records/logs/export-selection";
import { orSortedOnOutOfOrder } from "@/lib/records/logs/sequence-order";
import { OWNER_ONLY_FOLDER } from "@/lib/foundation/util/owner-only-files";
import {
  BACKUP_FILES,
  BACKUP_VERSION,
  backupFolderName,
  signManifest,
  type BackupCounts,
  type DataFile,
  type FileEntry,
  type Manifest,
} from "./format";
import { NdjsonWriter, writeWholeFile } from "./files";
import { storedFileName } from "./folder";

export type BackupOptions = {
  outDir: string;
  databaseName: string;
  signer: CheckpointSigner;
  maxFutureSkewMs: number;
  now?: Date;
  /** age public keys (age1...): when given, every file is encrypted to each of them. */
  encryptTo?: readonly string[];
};
export type BackupResult = { folder: string; manifest: Manifest };

export async function writeBackup(db: Db, options: BackupOptions): Promise<BackupResult> {
  const createdAt = options.now ?? new Date();
  const folder = path.join(options.outDir, backupFolderName(createdAt));
  const partial = `${folder}.partial`;
  const recipients = options.encryptTo ?? [];
  const fileOf = (name: string) => path.join(partial, storedFileName(name, recipients.length > 0));
  await mkdir(options.outDir, { recursive: true, mode: OWNER_ONLY_FOLDER });
  await mkdir(partial, { mode: OWNER_ONLY_FOLDER });
  try {
    const files: FileEntry[] = [];
    const write = async (name: DataFile, values: AsyncIterable<unknown>) => {
      const writer = await NdjsonWriter.create(fileOf(name), recipients);
      await writer.writeAll(values).catch(async (error: unknown) => {
        await writer.discard();
        throw error;
      });
      const tally = await writer.close();
      files.push({ name, ...tally });
      return tally.lines;
    };
    const counts = {} as BackupCounts;
    // The export starts after the newest purge, so purges are read first.
    counts.purges = await write(BACKUP_FILES.purges, purgeLines(db));
    const logs = await orSortedOnOutOfOrder(async (serverSorted) => {
      const tally = { count: 0, lastCheckpoint: 0 };
      await write(BACKUP_FILES.logs, exportLines(db, options, tally, serverSorted));
      return tally;
    });
    counts.logs = logs.count;
    // Up to the export's last checkpoint: one written meanwhile covers logs the export holds as pending.
    counts.checkpoints = await write(BACKUP_FILES.checkpoints, checkpointLines(db, logs.lastCheckpoint));
    counts.users = await write(
      BACKUP_FILES.users,
      db.collection<UserRecord>(COLLECTIONS.users).find().sort({ _id: 1 }),
    );
    counts.api_keys = await write(
      BACKUP_FILES.apiKeys,
      db.collection<ApiKeyRecord>(COLLECTIONS.apiKeys).find().sort({ _id: 1 }),
    );
    counts.alerts = await write(BACKUP_FILES.alerts, alertLines(db));
    // After the alerts, so that every rule an alert is suppressed by is in the backup (rules are never deleted).
    counts.suppression_rules = await write(BACKUP_FILES.suppressionRules, suppressionRuleLines(db));
    // After the users, so that no user in the backup misses a factor enrolled while it ran; a factor whose user
    // came later is restored only where that user exists.
    // The replay guard (totp_uses) stays out: each factor carries its last accepted step and its used recovery codes.
    counts.totp_factors = await write(BACKUP_FILES.totpFactors, totpFactors(db).find().sort({ _id: 1 }));

    const manifest = signManifest(
      {
        format: BACKUP_VERSION,
        created_at: createdAt.toISOString(),
        source_database: options.databaseName,
        counts,
        files,
      },
      options.signer,
    );
    await writeWholeFile(fileOf(BACKUP_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`, recipients);
    await rename(partial, folder);
    return { folder, manifest };
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
}

/** The alerts as they stand: detection may still extend some, whose documents lag behind. */
async function* alertLines(db: Db): AsyncGenerator<Alert> {
  const asItStands = liveFieldsOverlay(await readActiveAlerts(db));
  for await (const alert of alertsCollection(db).find().sort({ _id: 1 })) yield asItStands(alert);
}

/** Each rule with its removal, if any, by id: a small collection, read whole as every checkpoint reads it. */
async function* suppressionRuleLines(db: Db): AsyncGenerator<unknown> {
  yield* (await readSuppressionRules(db)).sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
}

async function* exportLines(
  db: Db,
  options: BackupOptions,
  tally: { count: number; lastCheckpoint: number },
  serverSorted: boolean,
): AsyncGenerator<unknown> {
  const exportOptions = {
    publicKeys: options.signer.publicKeys(),
    maxFutureSkewMs: options.maxFutureSkewMs,
    now: options.now,
    serverSorted,
  };
  const lines = verifiableExport(db, parseExportSelection(""), exportOptions);
  for await (const line of lines) {
    if (line.type === "log") tally.count++;
    else if (line.type === "export") tally.lastCheckpoint = line.last_checkpoint;
    yield line;
  }
}

async function* checkpointLines(db: Db, last: number): AsyncGenerator<unknown> {
  for await (const stored of checkpointsCollection(db)
    .find({ _id: { $lte: last } })
    .sort({ _id: 1 }))
    yield toSignedCheckpoint(stored);
}

async function* purgeLines(db: Db): AsyncGenerator<unknown> {
  for await (const { _id: _number, ...purge } of purgesCollection(db).find().sort({ _id: 1 })) yield purge;
}
