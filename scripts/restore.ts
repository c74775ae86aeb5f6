// npm run restore – verify a backup folder, then restore it into an empty database or the one it came from
import { readFileSync } from "node:fs";
import { z } from "zod";
import { CLI_ACTOR } from "@/lib/records/audit/security-events";
import { describeBackupCheck, describeRestore, isCleanRestore } from "@/lib/features/backup/describe";
import { restoreBackup } from "@/lib/features/backup/restore";
import { parseAgeIdentities } from "@/lib/features/backup/age";
import { BackupEncryptedError, BackupUnreadableError } from "@/lib/features/backup/folder";
import { verifyBackup } from "@/lib/features/backup/verify-backup";
import { getConfig } from "@/lib/foundation/config";
import { closeMongoClient, getDb } from "@/lib/platform/db/client";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import {
  publicKeySetFromJson,
  publicKeySetFromSigner,
  type PublicKeySet,
} from "@/lib/records/integrity/checkpoint-keys";
import { EXIT_OK, EXIT_PROBLEM, EXIT_USAGE, runCli } from "./lib/cli";

runCli({
  usage: `Usage: npm run restore -- <folder> [--verify-only] [--public-key FILE] [--trust-backup-keys] [--identity FILE] [--json]

Verifies a folder written by \`npm run backup\` (the manifest's signature, each
file's SHA-256 and counts, the checkpoint chain and every log against it, MACs
too when LEDGERLINE_HMAC_KEYS is set) and refuses a tampered one, saying what is
wrong. Then restores it into an empty database, or into the database it came
from by adding only what is missing; a sequence or checkpoint held by something
else refuses the restore before anything is written. Rollups are rebuilt, the
restore is audited and the stored logs are verified. Stop the app first.

--verify-only    check the folder and write nothing (no database needed)
--public-key     the JSON of GET /api/integrity/public-key, kept apart from the
                 backup; without it the configured checkpoint keys are used
--trust-backup-keys  with neither, accept the public keys the backup lists: they
                 prove its files agree, not who wrote them (refused without it)
--identity       an age identity file (AGE-SECRET-KEY-1... lines, # comments)
                 that decrypts a backup made with --encrypt-to; repeatable

Exit 0 restored (or verified), 1 refused or a problem found, 2 bad usage or a
folder that cannot be read as a backup.`,
  options: {
    "verify-only": { type: "boolean" },
    "public-key": { type: "string" },
    "trust-backup-keys": { type: "boolean" },
    identity: { type: "string", multiple: true },
    json: { type: "boolean" },
  },
  allowPositionals: true,
  schema: z
    .object({
      "verify-only": z.boolean().default(false),
      "public-key": z.string().min(1).optional(),
      "trust-backup-keys": z.boolean().default(false),
      identity: z.array(z.string().min(1)).default([]),
      json: z.boolean().default(false),
    })
    .refine((a) => !(a["trust-backup-keys"] && a["public-key"]), {
      message: "has nothing to accept when --public-key gives the keys",
      path: ["trust-backup-keys"],
    }),
  main: async (
    {
      "verify-only": verifyOnly,
      "public-key": keyFile,
      "trust-backup-keys": trustBackupKeys,
      identity: identityFiles,
      json,
    },
    positionals,
  ) => {
    if (positionals.length !== 1) return usage(`give exactly one backup folder (got ${positionals.length})`);
    const [folder] = positionals as [string];
    let publicKeys: PublicKeySet | undefined;
    try {
      publicKeys = keyFile
        ? publicKeySetFromJson(JSON.parse(readFileSync(keyFile, "utf8")))
        : getConfig().checkpointKeys
          ? publicKeySetFromSigner(getCheckpointSigner())
          : undefined;
    } catch (error) {
      return usage(`--public-key: cannot use ${keyFile} (${error instanceof Error ? error.message : String(error)})`);
    }
    const identities: string[] = [];
    for (const file of identityFiles) {
      try {
        identities.push(...parseAgeIdentities(readFileSync(file, "utf8")));
      } catch (error) {
        return usage(`--identity: cannot use ${file} (${error instanceof Error ? error.message : String(error)})`);
      }
    }
    const keys = { publicKeys, keyring: getConfig().hmacKeys ? getKeyring() : null, trustBackupKeys, identities };
    try {
      if (verifyOnly) {
        const check = await verifyBackup(folder, keys);
        console.log(json ? JSON.stringify(check) : describeBackupCheck(check));
        return check.ok ? EXIT_OK : EXIT_PROBLEM;
      }
      const result = await restoreBackup(await getDb(), folder, keys, CLI_ACTOR);
      console.log(json ? JSON.stringify(result) : describeRestore(result));
      return isCleanRestore(result) ? EXIT_OK : EXIT_PROBLEM;
    } catch (error) {
      if (error instanceof BackupEncryptedError)
        return usage(`${error.message}; pass --identity FILE with the age identity of one of its recipients`);
      if (error instanceof BackupUnreadableError) return usage(error.message);
      throw error;
    } finally {
      await closeMongoClient();
    }
  },
});

function usage(message: string): number {
  console.error(`error: ${message}`);
  return EXIT_USAGE;
}
