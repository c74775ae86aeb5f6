// The backup folder: plain NDJSON files an auditor can read with ordinary
// tools, and a manifest with each file's line count and SHA-256, signed with
// the checkpoint key so that no file (users, alerts and suppression rules carry
// no signature of their own) can be changed without the restore noticing. Dates are ISO 8601
// strings; the zod schemas here read every line back.
import { z } from "zod";
import { FINDING_TYPES, SEVERITIES } from "@/lib/records/anomaly";
import { ALERT_STATUSES } from "@/lib/derived/alerts/alert-record";
import { ApiKeyScope } from "@/lib/records/auth/api-key-schemas";
import { Role } from "@/lib/records/auth/user-schemas";
import { TAG, canonicalNumber, taggedValue } from "@/lib/records/integrity/canonical";
import type { CheckpointSigner, PublicKeySet } from "@/lib/records/integrity/checkpoint-keys";

// Version 2: the logs file is a version 2 export (logs carry ingested_by), and the TOTP factors are a file of
// their own. Version 3: the suppression rules are a file of their own. Version 1 and 2 backups still restore.
export const BACKUP_VERSION = "ledgerline/backup/v3";
const BACKUP_VERSIONS = ["ledgerline/backup/v1", "ledgerline/backup/v2", BACKUP_VERSION] as const;
type BackupVersion = (typeof BACKUP_VERSIONS)[number];
const MANIFEST_SIGNATURE_VERSION = "ledgerline/backup-manifest/v1";

export const BACKUP_FILES = {
  manifest: "manifest.json",
  /** A verifiable export of all time (lib/records/integrity/export-format.ts). */
  logs: "logs.ndjson",
  checkpoints: "checkpoints.ndjson",
  purges: "purges.ndjson",
  users: "users.ndjson",
  apiKeys: "api_keys.ndjson",
  alerts: "alerts.ndjson",
  /** Every suppression rule, a removed one with its removal (`removed_at`, `removed_by`). */
  suppressionRules: "suppression_rules.ndjson",
  /** Sealed secrets and recovery-code hashes as stored: they open only with the LEDGERLINE_TOTP_KEY that made them. */
  totpFactors: "totp_factors.ndjson",
} as const;

/** The data files in the order they are written, listed and verified. */
export const DATA_FILES = [
  BACKUP_FILES.logs,
  BACKUP_FILES.checkpoints,
  BACKUP_FILES.purges,
  BACKUP_FILES.users,
  BACKUP_FILES.apiKeys,
  BACKUP_FILES.alerts,
  BACKUP_FILES.suppressionRules,
  BACKUP_FILES.totpFactors,
] as const;
export type DataFile = (typeof DATA_FILES)[number];

export const COUNT_NAMES = [
  "logs",
  "checkpoints",
  "purges",
  "users",
  "api_keys",
  "alerts",
  "suppression_rules",
  "totp_factors",
] as const;
export type BackupCounts = Record<(typeof COUNT_NAMES)[number], number>;

/** Files a backup holds from some version on; a manifest holds the file if and only if it holds its count. */
const LATER_FILES = [
  { name: BACKUP_FILES.totpFactors, count: "totp_factors", since: "ledgerline/backup/v2" },
  { name: BACKUP_FILES.suppressionRules, count: "suppression_rules", since: "ledgerline/backup/v3" },
] as const satisfies readonly { name: DataFile; count: (typeof COUNT_NAMES)[number]; since: BackupVersion }[];
type LaterCount = (typeof LATER_FILES)[number]["count"];

export type FileEntry = { name: DataFile; lines: number; bytes: number; sha256: string };

export type Manifest = {
  format: BackupVersion;
  created_at: string;
  source_database: string;
  /** A version 1 manifest has no count of TOTP factors, a version 1 or 2 manifest none of suppression rules. */
  counts: Omit<BackupCounts, LaterCount> & Partial<Pick<BackupCounts, LaterCount>>;
  files: FileEntry[];
  signature: { key_id: string; signature: string };
};

/** Whether the backup holds a TOTP factors file: always from version 2, which counts them. */
export function holdsTotpFactors(manifest: Pick<Manifest, "counts">): boolean {
  return manifest.counts.totp_factors !== undefined;
}

/** Whether the backup holds a suppression rules file: always from version 3, which counts them. */
export function holdsSuppressionRules(manifest: Pick<Manifest, "counts">): boolean {
  return manifest.counts.suppression_rules !== undefined;
}

/** The data files the manifest must list. */
export function expectedDataFiles(manifest: Pick<Manifest, "counts">): readonly DataFile[] {
  return DATA_FILES.filter((name) =>
    LATER_FILES.every((later) => later.name !== name || manifest.counts[later.count] !== undefined),
  );
}

/** The counts the manifest holds, in signing order. */
export function countNamesOf(manifest: Pick<Manifest, "counts">): (typeof COUNT_NAMES)[number][] {
  return COUNT_NAMES.filter((name) => manifest.counts[name] !== undefined);
}

export const BACKUP_FOLDER_PREFIX = "ledgerline-backup-";

/** `ledgerline-backup-2026-01-31T10-00-00-000Z`: the time, with no character a file system refuses. */
export function backupFolderName(createdAt: Date): string {
  return `${BACKUP_FOLDER_PREFIX}${createdAt.toISOString().replace(/[:.]/g, "-")}`;
}

const IsoDate = z.iso.datetime({ offset: false, precision: 3 }).transform((text) => new Date(text));
const Count = z.int().min(0);
const HexDigest = z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex characters");

export const ManifestSchema = z
  .object({
    format: z.enum(BACKUP_VERSIONS, `must be one of ${BACKUP_VERSIONS.map((version) => `"${version}"`).join(", ")}`),
    created_at: z.iso.datetime({ offset: false, precision: 3 }),
    source_database: z.string(),
    counts: z.object({
      logs: Count,
      checkpoints: Count,
      purges: Count,
      users: Count,
      api_keys: Count,
      alerts: Count,
      suppression_rules: Count.optional(),
      totp_factors: Count.optional(),
    }),
    files: z.array(z.object({ name: z.enum(DATA_FILES), lines: Count, bytes: Count, sha256: HexDigest })),
    signature: z.object({ key_id: z.string(), signature: z.string() }),
  })
  .superRefine((manifest, context) => {
    for (const later of LATER_FILES) {
      if (manifest.counts[later.count] !== undefined) continue;
      const listed = manifest.files.some((file) => file.name === later.name);
      if (listed || BACKUP_VERSIONS.indexOf(manifest.format) >= BACKUP_VERSIONS.indexOf(later.since)) {
        const why = listed ? `files lists ${later.name}` : `the format is ${manifest.format}`;
        context.addIssue({ code: "custom", path: ["counts", later.count], message: `is required: ${why}` });
      }
    }
  });

/**
 * The bytes the manifest signature covers: every field but the signature, in a
 * fixed order. Only the counts present are encoded, so a version 1 or 2
 * manifest (no TOTP factors, no suppression rules) encodes as it did when it was signed.
 */
function encodeManifest(manifest: Omit<Manifest, "signature">, keyId: string): Buffer {
  const number = (n: number) => taggedValue(TAG.number, canonicalNumber(n));
  const text = (value: string) => taggedValue(TAG.string, value);
  return Buffer.concat([
    text(MANIFEST_SIGNATURE_VERSION),
    text(manifest.format),
    taggedValue(TAG.date, manifest.created_at),
    text(manifest.source_database),
    ...countNamesOf(manifest).flatMap((name) => [text(name), number(manifest.counts[name]!)]),
    number(manifest.files.length),
    ...manifest.files.flatMap((file) => [text(file.name), number(file.lines), number(file.bytes), text(file.sha256)]),
    text(keyId),
  ]);
}

export function signManifest(manifest: Omit<Manifest, "signature">, signer: CheckpointSigner): Manifest {
  return { ...manifest, signature: signer.sign(encodeManifest(manifest, signer.activeKeyId)) };
}

export function verifyManifestSignature(manifest: Manifest, keys: PublicKeySet): "valid" | "invalid" | "unknown_key" {
  const { signature, ...body } = manifest;
  return keys.verify(encodeManifest(body, signature.key_id), signature.key_id, signature.signature);
}

// Records as stored, with _id kept and dates as ISO strings. Loose objects: a
// field added to a collection later survives a restore instead of failing it.
export const UserLine = z.looseObject({
  _id: z.string().min(1),
  email: z.string(),
  name: z.string(),
  role: Role,
  password_hash: z.string(),
  created_at: IsoDate,
  updated_at: IsoDate,
  password_changed_at: IsoDate,
  disabled_at: IsoDate.nullable(),
});

export const ApiKeyLine = z.looseObject({
  _id: z.string().min(1),
  name: z.string(),
  scopes: z.array(ApiKeyScope),
  key_hash: HexDigest,
  created_at: IsoDate,
  last_used_at: IsoDate.nullable(),
  revoked_at: IsoDate.nullable(),
});

export const AlertLine = z.looseObject({
  _id: z.string().min(1),
  type: z.enum(FINDING_TYPES),
  severity: z.enum(SEVERITIES),
  ip: z.string().optional(),
  user: z.string().optional(),
  source: z.string().optional(),
  start: IsoDate,
  end: IsoDate,
  count: Count,
  log_ids: z.array(z.string()),
  explanation: z.string(),
  subject_key: z.string(),
  status: z.enum(ALERT_STATUSES),
  created_at: IsoDate,
  updated_at: IsoDate,
  history: z.array(
    z.looseObject({ status: z.enum(ALERT_STATUSES), by: z.string(), at: IsoDate, note: z.string().optional() }),
  ),
});

/** A rule as stored, with its removal (both fields, or neither) from the collection of removals. */
export const SuppressionRuleLine = z
  .looseObject({
    _id: z.string().min(1),
    type: z.enum(FINDING_TYPES).nullable(),
    ip: z.string().nullable(),
    user: z.string().nullable(),
    source: z.string().nullable(),
    reason: z.string(),
    created_by: z.string(),
    created_at: IsoDate,
    expires_at: IsoDate.nullable(),
    removed_at: IsoDate.optional(),
    removed_by: z.string().optional(),
  })
  .superRefine((rule, context) => {
    if (rule.removed_at !== undefined && rule.removed_by === undefined)
      context.addIssue({ code: "custom", path: ["removed_by"], message: "is required with removed_at" });
    if (rule.removed_by !== undefined && rule.removed_at === undefined)
      context.addIssue({ code: "custom", path: ["removed_at"], message: "is required with removed_by" });
  });

export const TotpFactorLine = z.looseObject({
  _id: z.string().min(1),
  secret: z.string().min(1),
  created_at: IsoDate,
  enabled_at: IsoDate.nullable(),
  last_step: z.int().min(0),
  recovery_codes: z.array(z.looseObject({ hash: z.string(), used_at: IsoDate.nullable() })),
});

/** Shape only: the signature is checked by verifyCheckpoint / verifyPurge. */
export const CheckpointLine = z.looseObject({ number: z.int().min(1), digest: z.string() });

export const PurgeLine = z.strictObject({
  through_checkpoint: z.int().min(1),
  through_sequence: z.int().min(1),
  checkpoint_digest: HexDigest,
  cutoff: IsoDate,
  purged_at: IsoDate,
  key_id: z.string(),
  signature: z.string(),
});
