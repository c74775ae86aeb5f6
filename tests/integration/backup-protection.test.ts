// What protects a backup beyond its signatures: its folders and files are
// owner-only from creation, it can be encrypted to age recipients, and a
// restore that only the backup's own keys could check refuses unless trusted.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { CLI_ACTOR } from "@/lib/records/audit/security-events";
import { createUser } from "@/lib/records/auth/users";
import { generateAgeKeyPair, parseAgeIdentities } from "@/lib/features/backup/age";
import { writeBackup, type BackupOptions } from "@/lib/features/backup/write-backup";
import { BACKUP_FILES } from "@/lib/features/backup/format";
import { getConfig } from "@/lib/foundation/config";
import { verifyBackup } from "@/lib/features/backup/verify-backup";
import { closeMongoClient, getDb, getMongoClient } from "@/lib/platform/db/client";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { publicKeySetFromSigner } from "@/lib/records/integrity/checkpoint-keys";
import { verifyStoredLogs } from "@/lib/records/integrity/verify";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { logsCollection } from "@/lib/records/logs/collection";
import { ingestLogs } from "@/lib/records/logs/ingest";
import type { LogInput } from "@/lib/records/logs/schemas";
import { setupAppDatabase } from "./support/app-db";
import { runScript, runScriptWithEnv } from "./support/cli";
import { makeLogInputs } from "./support/log-inputs";

setupAppDatabase("backup_protection");

const dir = mkdtempSync(path.join(tmpdir(), "ledgerline-backup-protection-"));
const extraDatabases: string[] = [];
let origin: Db;
let folder: string;
let backedUpLogs: number;

/** A database name of this test's own, dropped afterwards. */
function freshDatabaseName(label: string): string {
  const name = `test_protection_${label}_${randomBytes(4).toString("hex")}`;
  extraDatabases.push(name);
  return name;
}

/** `npm run restore` into a database of its own; returns the CLI's answer and that database. */
function restoreInto(label: string, env: Record<string, string>, ...args: string[]) {
  const name = freshDatabaseName(label);
  return {
    ...runScriptWithEnv({ MONGODB_DB: name, ...env }, "restore", ...args),
    db: (async () => (await getMongoClient()).db(name))(),
  };
}

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
  const ingest = (count: number) =>
    ingestLogs(origin, makeLogInputs(count) as LogInput[], {
      keyring: getKeyring(),
      maxFutureSkewMs: 300_000,
      ingestedBy: "cli:test",
    });
  await ingest(12);
  await createUser(origin, { email: "auditor@example.com", role: "viewer" }, "correct horse battery staple", CLI_ACTOR);
  await writeCheckpoint(origin, { signer: getCheckpointSigner(), voidAfterMs: 120_000 });
  await ingest(3);
  let manifest;
  ({ folder, manifest } = await writeBackup(origin, backupOptions(path.join(dir, "plain"))));
  backedUpLogs = manifest.counts.logs;
});

after(async () => {
  const client = await getMongoClient();
  for (const name of extraDatabases) await client.db(name).dropDatabase();
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

describe("a backup that only its own keys can check", () => {
  const noCheckpointKeys = { LEDGERLINE_CHECKPOINT_KEYS: "" };

  it("does not verify unless its own keys are trusted, and then says what was and was not proved", async () => {
    const untrusted = await verifyBackup(folder, { keyring: getKeyring() });
    assert.deepEqual(untrusted.problems, []);
    assert.equal(untrusted.untrusted_keys, true);
    assert.equal(untrusted.ok, false);
    const trusted = await verifyBackup(folder, { keyring: getKeyring(), trustBackupKeys: true });
    assert.equal(trusted.ok, true);
    assert.ok(
      trusted.notes[0]!.includes(
        `Proved: its files agree with each other and with those keys, and the MACs of ${backedUpLogs} of its ${backedUpLogs} logs verify`,
      ),
    );
    assert.match(trusted.notes[0]!, /Not proved: who made those keys/);
  });

  it("is refused by npm run restore with the reason, writing nothing", async () => {
    const refused = restoreInto("untrusted", noCheckpointKeys, folder);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(
      refused.stdout,
      /^REFUSED: the backup is consistent, but no key from outside it checked it .*whoever could write the backup could have made its keys too\. Pass --public-key FILE, or --trust-backup-keys/,
    );
    assert.equal(await logsCollection(await refused.db).countDocuments(), 0);
    const verifyOnly = runScriptWithEnv(noCheckpointKeys, "restore", folder, "--verify-only");
    assert.equal(verifyOnly.code, 1);
    assert.match(verifyOnly.stdout, /^REFUSED: the backup is consistent/);
  });

  it("is restored with --trust-backup-keys, the output saying what was not proved", async () => {
    const restored = restoreInto("trusted", noCheckpointKeys, folder, "--trust-backup-keys");
    assert.equal(restored.code, 0, restored.stdout + restored.stderr);
    assert.match(restored.stdout, /Restored into an empty database/);
    assert.match(
      restored.stdout,
      /Note: Checked only with the public keys the backup itself lists\. Proved: .* Not proved: who made those keys, so who wrote its checkpoints, users, API keys, alerts and suppression rules/,
    );
    assert.equal(
      await logsCollection(await restored.db).countDocuments({ action: { $ne: "backup_restored" } }),
      backedUpLogs,
    );
  });

  it("--trust-backup-keys with --public-key is bad usage, naming the flag", () => {
    const both = runScriptWithEnv({}, "restore", folder, "--trust-backup-keys", "--public-key", "keys.json");
    assert.equal(both.code, 2);
    assert.match(both.stderr, /^error: --trust-backup-keys: /);
  });
});

describe("a backup encrypted with age", () => {
  let encrypted: string;
  let identityFile: string;
  let otherRecipientFile: string;
  let strangerFile: string;

  before(async () => {
    identityFile = path.join(dir, "backup-identity.txt");
    const made = runScript("keys", "age", "--out", identityFile);
    assert.equal(made.code, 0, made.stderr);
    const recipient = made.stdout.trim().split("\n").at(-1)!;
    assert.equal(statSync(identityFile).mode & 0o777, 0o600);
    const other = await generateAgeKeyPair();
    otherRecipientFile = path.join(dir, "other-identity.txt");
    writeFileSync(otherRecipientFile, other.identityFile);
    strangerFile = path.join(dir, "stranger-identity.txt");
    writeFileSync(strangerFile, (await generateAgeKeyPair()).identityFile);
    const backedUp = runScript(
      "backup",
      "--out",
      path.join(dir, "encrypted"),
      "--encrypt-to",
      recipient,
      "--encrypt-to",
      other.recipient,
      "--json",
    );
    assert.equal(backedUp.code, 0, backedUp.stderr);
    encrypted = JSON.parse(backedUp.stdout).folder;
  });

  it("holds every file as an owner-only age file, with nothing readable in it", () => {
    assert.deepEqual(
      readdirSync(encrypted).sort(),
      Object.values(BACKUP_FILES)
        .map((name) => `${name}.age`)
        .sort(),
    );
    assertOwnerOnly(path.dirname(encrypted));
    for (const name of readdirSync(encrypted)) {
      const bytes = readFileSync(path.join(encrypted, name));
      assert.equal(bytes.subarray(0, 22).toString(), "age-encryption.org/v1\n", name);
      for (const plaintext of ["auditor@example.com", "password_hash", '"type":"log"', "ledgerline/backup"])
        assert.ok(!bytes.includes(plaintext), `${name} holds ${plaintext}`);
    }
  });

  it("restores with --identity: the same logs as its origin, verified clean", async () => {
    const restored = restoreInto("encrypted", {}, encrypted, "--identity", identityFile);
    assert.equal(restored.code, 0, restored.stdout + restored.stderr);
    assert.match(restored.stdout, /Restored into an empty database/);
    const target = await restored.db;
    const logs = await logsCollection(target)
      .find({ action: { $ne: "backup_restored" } })
      .sort({ sequence: 1 })
      .toArray();
    const originLogs = await logsCollection(origin)
      .find({ sequence: { $lte: logs.at(-1)!.sequence } })
      .sort({ sequence: 1 })
      .toArray();
    assert.deepEqual(logs, originLogs);
    const report = await verifyStoredLogs(target, {
      publicKeys: publicKeySetFromSigner(getCheckpointSigner()),
      keyring: getKeyring(),
    });
    assert.deepEqual(report.problems, []);
  });

  it("verifies (--verify-only) with the identity of any of its recipients", () => {
    const checked = runScript(
      "restore",
      encrypted,
      "--verify-only",
      "--identity",
      strangerFile,
      "--identity",
      otherRecipientFile,
    );
    assert.equal(checked.code, 0, checked.stdout + checked.stderr);
    assert.match(checked.stdout, /^OK: the backup of .* verifies/);
  });

  it("without --identity is refused as encrypted, writing nothing", async () => {
    const refused = restoreInto("no_identity", {}, encrypted);
    assert.equal(refused.code, 2);
    assert.equal(
      refused.stderr.trim(),
      "error: this backup is encrypted (manifest.json.age); pass --identity FILE with the age identity of one of its recipients",
    );
    assert.equal(await logsCollection(await refused.db).countDocuments(), 0);
  });

  it("with an identity that is not a recipient is refused, writing nothing", async () => {
    const refused = restoreInto("wrong_identity", {}, encrypted, "--identity", strangerFile);
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /^error: manifest\.json\.age cannot be decrypted: none of the given age identities is one of its recipients/,
    );
    assert.equal(await logsCollection(await refused.db).countDocuments(), 0);
  });

  it("with a changed encrypted file is refused, naming the file", async () => {
    const copy = path.join(mkdtempSync(path.join(dir, "changed-")), path.basename(encrypted));
    cpSync(encrypted, copy, { recursive: true });
    const users = path.join(copy, `${BACKUP_FILES.users}.age`);
    const bytes = readFileSync(users);
    bytes[bytes.length - 20]! ^= 1;
    writeFileSync(users, bytes);
    const keys = {
      publicKeys: publicKeySetFromSigner(getCheckpointSigner()),
      keyring: getKeyring(),
      identities: parseAgeIdentities(readFileSync(identityFile, "utf8")),
    };
    const check = await verifyBackup(copy, keys);
    assert.equal(check.ok, false);
    assert.match(
      check.problems.join("\n"),
      /^users\.ndjson: cannot be decrypted \(.*\): the file was changed or cut short/m,
    );
  });

  it("bad keys and identity files are bad usage, naming the flag", () => {
    const badKey = runScript("backup", "--out", path.join(dir, "never"), "--encrypt-to", "age1notakey");
    assert.equal(badKey.code, 2);
    assert.match(badKey.stderr, /^error: --encrypt-to: "age1notakey" is not an age public key/);
    const notIdentity = path.join(dir, "not-identity.txt");
    writeFileSync(notIdentity, "# comment\nAGE-SECRET-KEY-1SECRETBUTBROKEN\n");
    const badIdentity = runScript("restore", encrypted, "--identity", notIdentity);
    assert.equal(badIdentity.code, 2);
    assert.match(
      badIdentity.stderr,
      /^error: --identity: cannot use .*not-identity\.txt \(line 2 is not an age identity/,
    );
    assert.ok(!badIdentity.stderr.includes("SECRETBUTBROKEN"));
  });
});
