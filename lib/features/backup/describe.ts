// What `npm run restore` prints: the backup's check, then what the restore did.
import { COUNT_NAMES } from "./format";
import type { RestoreResult } from "./restore";
import type { BackupCheck } from "./verify-backup";

export function describeBackupCheck(check: BackupCheck): string {
  const { counts } = check;
  const head = check.ok
    ? `OK: the backup of ${check.manifest.source_database} made ${check.manifest.created_at} verifies: ${counts.logs} logs, ${counts.checkpoints} checkpoints, ${counts.purges} purge records, ${counts.users} users, ${counts.api_keys} API keys, ${counts.alerts} alerts, ${counts.suppression_rules} suppression rules, ${counts.totp_factors} TOTP factors.`
    : check.untrusted_keys && check.problem_count === 0
      ? "REFUSED: the backup is consistent, but no key from outside it checked it (no LEDGERLINE_CHECKPOINT_KEYS, no --public-key): " +
        "whoever could write the backup could have made its keys too. Pass --public-key FILE, or --trust-backup-keys to accept its own keys."
      : `REFUSED: the backup does not verify (${check.problem_count} problems):`;
  return [
    head,
    ...check.problems.map((problem) => `  ${problem}`),
    ...more(check.problem_count, check.problems.length),
    ...check.notes.map((note) => `Note: ${note}`),
  ].join("\n");
}

export function describeRestore(result: RestoreResult): string {
  if (!result.check.ok) return [describeBackupCheck(result.check), ...refusalAudited(result)].join("\n");
  if (result.status === "refused") {
    return [
      `REFUSED: the backup verifies, but the database holds other history (${result.conflict_count} conflicts); nothing from the backup was written:`,
      ...result.conflicts.map((conflict) => `  ${conflict}`),
      ...more(result.conflict_count, result.conflicts.length),
      ...refusalAudited(result),
    ].join("\n");
  }
  const { added, already_present: present } = result;
  const lines = [
    `Restored into ${result.mode === "empty" ? "an empty database" : "the existing database (only what was missing)"}:`,
    ...COUNT_NAMES.map(
      (name) => `  ${name.padEnd(17)} ${String(added[name]).padStart(9)} added, ${present[name]} already present`,
    ),
  ];
  if (result.suppression_removals_added > 0)
    lines.push(
      `  ${result.suppression_removals_added} suppression rule removals added: the rules removed in the backup are removed here too.`,
    );
  if (result.purged_in_database > 0)
    lines.push(
      `  ${result.purged_in_database} logs left out: the database's retention has purged them since the backup.`,
    );
  if (result.totp_factors_without_user > 0)
    lines.push(
      `  ${result.totp_factors_without_user} TOTP factors left out: the database holds no user with their id.`,
    );
  lines.push(
    result.rollups
      ? `Rollups rebuilt: ${result.rollups.documents} documents through checkpoint ${result.rollups.checkpoints}.`
      : "Rollups unchanged: no log or checkpoint was added.",
  );
  if (result.baselines)
    lines.push(
      `Per-user baselines rebuilt: ${result.baselines.documents} days from ${result.baselines.logs} successful logs.`,
    );
  lines.push(
    result.audited
      ? "The restore is recorded as a security event."
      : "Not audited: without LEDGERLINE_HMAC_KEYS no log can be signed.",
  );
  const report = result.verification;
  if (report) {
    lines.push(
      isCleanRestore(result)
        ? `Verification: ${report.checked} logs checked, ${report.valid} proven, no tampering found.`
        : `Verification found ${report.problem_count} problems (npm run verify lists them).`,
    );
    if (!result.macs_checked) {
      lines.push(
        `  MACs not checked (no LEDGERLINE_HMAC_KEYS): checkpointed logs are proven by their signed checkpoints; ${report.pending} newer logs are unverifiable, not tampered, until the keyring is configured.`,
      );
    }
  }
  return [...lines, ...totpKeyWarning(result), ...result.check.notes.map((note) => `Note: ${note}`)].join("\n");
}

/** Restored, and verification found nothing but logs it cannot check without HMAC keys. */
export function isCleanRestore(result: RestoreResult): boolean {
  const report = result.verification;
  if (result.status !== "restored" || !report) return false;
  if (report.ok) return true;
  const onlyUnverifiable = report.problems.every((problem) => problem.kind === "unverifiable");
  return (
    onlyUnverifiable &&
    (report.problem_count === report.problems.length ||
      (!result.macs_checked && report.problem_count === report.pending))
  );
}

function totpKeyWarning(result: RestoreResult): string[] {
  if (result.totp_key !== "other_key" && result.totp_key !== "no_key") return [];
  const why =
    result.totp_key === "no_key"
      ? "LEDGERLINE_TOTP_KEY is not set here"
      : "they were sealed under another LEDGERLINE_TOTP_KEY";
  return [
    `WARNING: the backup's TOTP factors do not open here (${why}): their users cannot sign in with a code or a recovery code. ` +
      "Set the LEDGERLINE_TOTP_KEY of the deployment the backup came from, or reset each with `npm run user -- reset-totp EMAIL`.",
  ];
}

function refusalAudited(result: RestoreResult): string[] {
  return result.audited ? ["The refused restore is recorded as a security event."] : [];
}

function more(total: number, listed: number): string[] {
  return total > listed ? [`  … and ${total - listed} more`] : [];
}
