// What protects a backup beyond its signatures: its folders and files are
// owner-only from creation, it can be encrypted to age recipients, and a
// restore that only the backup's own keys could check refuses unless trusted.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { CLI_ACTOR } from "@/lib/audit/security-events";
import { createUser } from "@/lib/auth/users";
import { writeBackup, type BackupOptions } from "@/lib/backup/backup";
import { getConfig } from "@/lib/config";
import { closeMongoClient, getDb } from "@/lib/db/client";
import { getCheckpointSigner, getKeyring } from "@/lib/integrity/active-keyring";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { ingestLogs } from "@/lib/logs/ingest";
import type { LogInput } from "@/lib/logs/schemas";
import { setupAppDatabase } from "./support/app-db";
import { makeLogInputs } from "./support/log-inputs";

setupAppDatabase("backup_protection");

const dir = mkdtempSync(path.join(tmpdir(), "ledgerline-backup-protection-"));
let origin: Db;

const backupOptions = (outDir: string, more: Partial<BackupOptions> = {}): BackupOptions => ({
  outDir,
  databaseName: getConfig().mongodbDb,
  signer: getCheckpointSigner(),
  maxFutureSkewMs: 300_000,
  ...more,
});

/** Every folder and file under `root`, `root` included, with its permission bits. */
function modesUnder(root: string): Map<string, number> {
  const modes = new Map<string, number>([[root, statSync(root).mode & 0o777]]);
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: true })) {
    const file = path.join(entry.parentPath, entry.name);
    modes.set(file, statSync(file).mode & 0o777);
  }
  return modes;
}

function assertOwnerOnly(root: string): void {
  const modes = modesUnder(root);
  assert.ok(modes.size > 7, `only ${modes.size} paths under ${root}`);
  for (const [file, mode] of modes) {
    assert.equal(mode, statSync(file).isDirectory() ? 0o700 : 0o600, `${file} has mode ${mode.toString(8)}`);
  }
}

/** Runs `write` with a umask of 0, so that only the modes given at creation restrict what it creates. */
async function withoutUmask<T>(write: () => Promise<T>): Promise<T> {
  const previous = process.umask(0);
  try {
    return await write();
  } finally {
    process.umask(previous);
  }
}

before(async () => {
  origin = await getDb();
  const ingest = (count: number) => ingestLogs(origin, makeLogInputs(count) as LogInput[], { keyring: getKeyring(), maxFutureSkewMs: 300_000 });
  await ingest(12);
  await createUser(origin, { email: "auditor@example.com", role: "viewer" }, "correct horse battery staple", CLI_ACTOR);
  await writeCheckpoint(origin, { signer: getCheckpointSigner(), voidAfterMs: 120_000 });
  await ingest(3);
});

after(async () => {
  await closeMongoClient();
  rmSync(dir, { recursive: true, force: true });
});

describe("backup folders and files", () => {
  it("are created owner-only (folders 0700, files 0600), the output folder too, whatever the umask", async () => {
    const outDir = path.join(dir, "modes", "nested");
    const { folder } = await withoutUmask(() => writeBackup(origin, backupOptions(outDir)));
    assert.equal(path.dirname(folder), outDir);
    assertOwnerOnly(path.join(dir, "modes"));
  });
});
