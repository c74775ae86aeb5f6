// Checks a backup folder before anything is restored from it: the manifest's
// signature, each file's SHA-256, line count and record count, the purge
// records' signatures, the checkpoint chain, the logs with the offline export
// verifier (Merkle roots against the signed checkpoints, and MACs when the
// HMAC keyring is at hand) and the shape of every other record. One pass over
// each file, one line in memory at a time (one checkpoint range for the logs).
import type { z } from "zod";
import { publicKeySetFromJson, type PublicKeyInfo, type PublicKeySet } from "@/lib/records/integrity/checkpoint-keys";
import { verifyCheckpoint, type SignedCheckpoint } from "@/lib/records/integrity/checkpoint-record";
import type { Keyring } from "@/lib/records/integrity/keyring";
import { verifyPurge, type SignedPurge } from "@/lib/records/integrity/purge-record";
import { checkChain } from "@/lib/records/integrity/verify";
import { ExportFormatError, verifyExport, type ExportVerifyReport } from "@/lib/records/integrity/verify-export";
import {
  AlertLine,
  ApiKeyLine,
  BACKUP_FILES,
  CheckpointLine,
  ManifestSchema,
  PurgeLine,
  SuppressionRuleLine,
  TotpFactorLine,
  UserLine,
  countNamesOf,
  expectedDataFiles,
  holdsSuppressionRules,
  holdsTotpFactors,
  verifyManifestSignature,
  type BackupCounts,
  type DataFile,
  type Manifest,
} from "./format";
import { AgeDecryptError } from "./age";
import { jsonLines, type FileTally } from "./files";
import { BackupUnreadableError, openBackupFolder, type BackupFolder } from "./folder";

export type BackupKeys = {
  /** Checkpoint public keys from outside the backup; without them the keys the backup lists check it. */
  publicKeys?: PublicKeySet;
  keyring: Keyring | null;
  /** Accept a check made with no public key from outside the backup, which proves consistency, not origin. */
  trustBackupKeys?: boolean;
  /** age identities (AGE-SECRET-KEY-1...) that decrypt an encrypted backup. */
  identities?: readonly string[];
};

export type BackupCheck = {
  /** False when a problem was found, or when only the backup's own keys checked it and they were not trusted. */
  ok: boolean;
  manifest: Manifest;
  /** What is wrong, one sentence each, naming the file (and line); at most MAX_LISTED. */
  problems: string[];
  problem_count: number;
  /** Not problems, but limits of what could be proven (keys, MACs). */
  notes: string[];
  keys_from: "given" | "backup";
  /** Only the backup's own public keys checked it, and `trustBackupKeys` was not given. */
  untrusted_keys: boolean;
  logs: ExportVerifyReport | null;
  /** The newest purge record whose signature verifies. */
  purge: SignedPurge | null;
  last_checkpoint: SignedCheckpoint | null;
  counts: BackupCounts;
};

const MAX_LISTED = 50;

export async function verifyBackup(folder: string, keys: BackupKeys): Promise<BackupCheck> {
  const backup = await openBackupFolder(folder, keys.identities);
  const manifest = parseManifest(backup.manifestText);
  const problems: string[] = [];
  let problemCount = 0;
  const report = (problem: string) => {
    problemCount++;
    if (problems.length < MAX_LISTED) problems.push(problem);
  };
  const notes: string[] = [];
  const entries = new Map(manifest.files.map((entry) => [entry.name, entry]));
  for (const name of expectedDataFiles(manifest)) if (!entries.has(name)) report(`manifest.json does not list ${name}`);

  const publicKeys = keys.publicKeys ?? (await backupPublicKeys(backup));
  const signature = verifyManifestSignature(manifest, publicKeys);
  if (signature !== "valid")
    report(
      `manifest.json: ${signature === "unknown_key" ? `signed with key id "${manifest.signature.key_id}", which is not among the public keys` : "its signature does not verify: the manifest was changed after the backup was made"}`,
    );

  const counts = {
    logs: 0,
    checkpoints: 0,
    purges: 0,
    users: 0,
    api_keys: 0,
    alerts: 0,
    suppression_rules: 0,
    totp_factors: 0,
  } satisfies BackupCounts;
  const readFileLines = async (name: DataFile, each: (lines: AsyncIterable<string>) => Promise<void>) => {
    const { lines, tally } = backup.lines(name);
    try {
      await each(lines);
    } catch (error) {
      if (error instanceof ExportFormatError || error instanceof AgeDecryptError)
        return report(`${name}: ${error.message}`);
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return report(`${name} is missing`);
      throw error;
    }
    compareTally(name, tally(), entries.get(name), report);
  };

  let purge: SignedPurge | null = null;
  await readFileLines(BACKUP_FILES.purges, async (lines) => {
    for await (const record of records(lines, PurgeLine, BACKUP_FILES.purges, report)) {
      counts.purges++;
      const valid = verifyPurge(record.value, publicKeys);
      if (!valid) report(`${BACKUP_FILES.purges} line ${record.line}: the purge record's signature does not verify`);
      else if (!purge || valid.through_checkpoint > purge.through_checkpoint) purge = valid;
    }
  });

  let last: SignedCheckpoint | null = null;
  await readFileLines(BACKUP_FILES.checkpoints, async (lines) => {
    for await (const record of records(lines, CheckpointLine, BACKUP_FILES.checkpoints, report)) {
      counts.checkpoints++;
      const verdict = verifyCheckpoint(record.value, publicKeys);
      const checkpoint =
        verdict.verdict === "valid" ? verdict.checkpoint : (record.value as unknown as SignedCheckpoint);
      for (const problem of checkChain(checkpoint, last, publicKeys))
        report(`${BACKUP_FILES.checkpoints} line ${record.line}: checkpoint ${record.value.number} ${problem.detail}`);
      const named = purge as SignedPurge | null;
      if (named?.through_checkpoint === checkpoint.number && named.checkpoint_digest !== checkpoint.digest) {
        report(
          `${BACKUP_FILES.checkpoints} line ${record.line}: checkpoint ${checkpoint.number} differs from the one the purge record names`,
        );
      }
      last = checkpoint;
    }
  });

  let logs: ExportVerifyReport | null = null;
  const exported: { last: { number: number; digest: string } | null } = { last: null };
  await readFileLines(BACKUP_FILES.logs, async (lines) => {
    logs = await verifyExport(
      tapCheckpoints(lines, exported),
      { publicKeys, keyring: keys.keyring },
      purge ? { purge } : {},
    );
    counts.logs = logs.checked;
    for (const problem of logs.problems) {
      if (problem.kind === "unverifiable") continue;
      const where = [
        problem.line !== undefined && `line ${problem.line}`,
        problem.sequence !== undefined && `sequence ${problem.sequence}`,
      ]
        .filter(Boolean)
        .join(", ");
      report(`${BACKUP_FILES.logs}${where ? ` ${where}` : ""}: ${problem.kind}: ${problem.detail}`);
    }
  });
  const lastCheckpoint = last as SignedCheckpoint | null;
  if (logs !== null && (exported.last?.number ?? 0) !== (lastCheckpoint?.number ?? 0)) {
    report(
      `${BACKUP_FILES.logs} runs to checkpoint ${exported.last?.number ?? 0}, ${BACKUP_FILES.checkpoints} to checkpoint ${lastCheckpoint?.number ?? 0}`,
    );
  } else if (exported.last && exported.last.digest !== lastCheckpoint?.digest) {
    report(`${BACKUP_FILES.logs} and ${BACKUP_FILES.checkpoints} hold different checkpoints ${exported.last.number}`);
  }
  const logReport = logs as ExportVerifyReport | null;
  if (logReport && !logReport.macs_checked)
    notes.push(
      `MACs not checked (no HMAC keyring): ${logReport.checked - logReport.pending} logs are proven by their signed checkpoints, ${logReport.pending} newer logs are unverifiable until the keyring is configured.`,
    );
  const unverifiable = logReport?.problems.filter((problem) => problem.kind === "unverifiable").length ?? 0;
  if (unverifiable > 0)
    notes.push(
      `${unverifiable} logs are signed with HMAC key ids the keyring does not hold: unverifiable, not tampered.`,
    );

  const shapes: (readonly [
    DataFile,
    z.ZodType,
    "users" | "api_keys" | "alerts" | "suppression_rules" | "totp_factors",
  ])[] = [
    [BACKUP_FILES.users, UserLine, "users"],
    [BACKUP_FILES.apiKeys, ApiKeyLine, "api_keys"],
    [BACKUP_FILES.alerts, AlertLine, "alerts"],
    ...(holdsSuppressionRules(manifest)
      ? [[BACKUP_FILES.suppressionRules, SuppressionRuleLine, "suppression_rules"] as const]
      : []),
    ...(holdsTotpFactors(manifest) ? [[BACKUP_FILES.totpFactors, TotpFactorLine, "totp_factors"] as const] : []),
  ];
  for (const [name, schema, count] of shapes) {
    await readFileLines(name, async (lines) => {
      for await (const _record of records(lines, schema, name, report)) counts[count]++;
    });
  }
  for (const name of countNamesOf(manifest)) {
    if (manifest.counts[name] !== counts[name])
      report(`manifest.json counts ${manifest.counts[name]} ${name}, the files hold ${counts[name]}`);
  }
  if (!keys.publicKeys) notes.unshift(ownKeysNote(logReport));
  const untrusted = !keys.publicKeys && !keys.trustBackupKeys;
  return {
    ok: problemCount === 0 && !untrusted,
    manifest,
    problems,
    problem_count: problemCount,
    notes,
    keys_from: keys.publicKeys ? "given" : "backup",
    untrusted_keys: untrusted,
    logs: logReport,
    purge,
    last_checkpoint: lastCheckpoint,
    counts,
  };
}

/** What a check with only the backup's own public keys proves: anyone able to write the backup could have made those keys. */
function ownKeysNote(logs: ExportVerifyReport | null): string {
  const macs = logs?.macs_checked
    ? `, and the MACs of ${logs.valid} of its ${logs.checked} logs verify with the HMAC keyring (those logs are proven)`
    : "";
  return (
    `Checked only with the public keys the backup itself lists. Proved: its files agree with each other and with those keys${macs}. ` +
    "Not proved: who made those keys, so who wrote its checkpoints, users, API keys, alerts and suppression rules; pass the keys of GET /api/integrity/public-key kept elsewhere to prove that."
  );
}

function parseManifest(text: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BackupUnreadableError(`${BACKUP_FILES.manifest} is not valid JSON`);
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BackupUnreadableError(
      `${BACKUP_FILES.manifest}: ${issue.path.join(".") || "manifest"}: ${issue.message}`,
    );
  }
  return parsed.data as Manifest;
}

/** The checkpoint public keys the backup itself lists (the key lines at the head of its export). */
export async function backupPublicKeys(backup: BackupFolder): Promise<PublicKeySet> {
  const keys: PublicKeyInfo[] = [];
  const { lines } = backup.lines(BACKUP_FILES.logs);
  try {
    for await (const text of lines) {
      const line = JSON.parse(text) as { type?: unknown } & PublicKeyInfo;
      if (line.type === "key") keys.push({ key_id: line.key_id, pem: line.pem, active: line.active });
      else if (line.type !== "export") break;
    }
    return publicKeySetFromJson({ keys });
  } catch (error) {
    throw new BackupUnreadableError(
      `${BACKUP_FILES.logs}: cannot read the public keys at its head (${error instanceof Error ? error.message : String(error)}); pass the public keys`,
    );
  }
}

function compareTally(
  name: DataFile,
  tally: FileTally,
  entry: Manifest["files"][number] | undefined,
  report: (problem: string) => void,
): void {
  if (!entry) return;
  if (tally.sha256 !== entry.sha256)
    report(`${name}: its SHA-256 differs from the manifest's: the file was changed after the backup was made`);
  if (tally.lines !== entry.lines || tally.bytes !== entry.bytes)
    report(
      `${name}: ${tally.lines} lines and ${tally.bytes} bytes, the manifest says ${entry.lines} and ${entry.bytes}`,
    );
}

/** Each line parsed with the schema; lines that fail are reported with the field. */
async function* records<S extends z.ZodType>(
  lines: AsyncIterable<string>,
  schema: S,
  name: string,
  report: (problem: string) => void,
): AsyncGenerator<{ line: number; value: z.infer<S> }> {
  for await (const entry of jsonLines(lines)) {
    if ("error" in entry) {
      report(`${name} line ${entry.line} ${entry.error}`);
      continue;
    }
    const parsed = schema.safeParse(entry.value);
    if (parsed.success) yield { line: entry.line, value: parsed.data };
    else {
      const issue = parsed.error.issues[0]!;
      report(`${name} line ${entry.line}: ${issue.path.join(".") || "record"}: ${issue.message}`);
    }
  }
}

/** Passes the lines on, noting the last checkpoint line's number and digest. */
async function* tapCheckpoints(
  lines: AsyncIterable<string>,
  seen: { last: { number: number; digest: string } | null },
): AsyncGenerator<string> {
  for await (const text of lines) {
    if (text.includes('"checkpoint"')) {
      try {
        const line = JSON.parse(text) as { type?: unknown; number?: unknown; digest?: unknown };
        if (line.type === "checkpoint" && typeof line.number === "number" && typeof line.digest === "string")
          seen.last = { number: line.number, digest: line.digest };
      } catch {
        // verifyExport reports the line.
      }
    }
    yield text;
  }
}
