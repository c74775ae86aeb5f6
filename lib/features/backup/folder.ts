// A backup folder as the verifier and the restore read it: plain files, or
// every file encrypted with age under its name plus ".age" (manifest.json.age
// is what marks an encrypted backup), decrypted as it is read.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { AGE_SUFFIX, AgeDecryptError, decryptedFile } from "./age";
import { BACKUP_FILES, type DataFile } from "./format";
import { readNdjsonLines, type FileTally } from "./files";

/** The folder cannot be read as a backup at all (exit 2), as opposed to one that fails its checks. */
export class BackupUnreadableError extends Error {
  override name = "BackupUnreadableError";
}

/** The backup is encrypted and no age identity was given to decrypt it. */
export class BackupEncryptedError extends BackupUnreadableError {
  override name = "BackupEncryptedError";
}

export type BackupFolder = {
  /** The manifest's text (already decrypted when opening, so that a wrong identity fails before anything is read). */
  manifestText: string;
  lines(name: DataFile): { lines: AsyncIterable<string>; tally: () => FileTally };
};

/** The name a backup file has on disk. */
export function storedFileName(name: string, encrypted: boolean): string {
  return encrypted ? `${name}${AGE_SUFFIX}` : name;
}

export async function openBackupFolder(folder: string, identities: readonly string[] = []): Promise<BackupFolder> {
  const encryptedManifest = path.join(folder, storedFileName(BACKUP_FILES.manifest, true));
  const encrypted = !existsSync(path.join(folder, BACKUP_FILES.manifest)) && existsSync(encryptedManifest);
  if (encrypted && identities.length === 0) {
    throw new BackupEncryptedError(`this backup is encrypted (${path.basename(encryptedManifest)})`);
  }
  const manifestText = encrypted
    ? await decryptManifest(encryptedManifest, identities)
    : await readPlainManifest(folder);
  return {
    manifestText,
    lines: (name) => readNdjsonLines(path.join(folder, storedFileName(name, encrypted)), encrypted ? identities : []),
  };
}

async function readPlainManifest(folder: string): Promise<string> {
  const file = path.join(folder, BACKUP_FILES.manifest);
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new BackupUnreadableError(
      `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}): not a Ledgerline backup folder`,
    );
  }
}

async function decryptManifest(file: string, identities: readonly string[]): Promise<string> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of decryptedFile(file, identities)) chunks.push(chunk as Buffer);
  } catch (error) {
    if (error instanceof AgeDecryptError) throw new BackupUnreadableError(`${path.basename(file)} ${error.message}`);
    throw new BackupUnreadableError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return Buffer.concat(chunks).toString("utf8");
}
