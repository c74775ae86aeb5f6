// npm run backup – every log, checkpoint, purge record, user, API key, alert, suppression rule and TOTP factor, as a
// folder of plain files
import path from "node:path";
import { z } from "zod";
import { CLI_ACTOR, recordSecurityEvent } from "@/lib/records/audit/security-events";
import { isAgeRecipient } from "@/lib/features/backup/age";
import { writeBackup } from "@/lib/features/backup/write-backup";
import { getConfig } from "@/lib/foundation/config";
import { closeMongoClient, getDb } from "@/lib/platform/db/client";
import { getCheckpointSigner } from "@/lib/records/integrity/active-keyring";
import { runCli } from "./lib/cli";

runCli({
  usage: `Usage: npm run backup -- [--out DIR] [--encrypt-to AGE_PUBLIC_KEY]... [--json]

Writes DIR/ledgerline-backup-<time>/ (DIR defaults to ./backups): manifest.json
(counts, each file's SHA-256, signed with the checkpoint key), logs.ndjson (a
verifiable export of every log and checkpoint range), checkpoints.ndjson,
purges.ndjson, users.ndjson and api_keys.ndjson (password and key hashes as
stored), alerts.ndjson, suppression_rules.ndjson (removed ones with their
removal), totp_factors.ndjson (TOTP secrets sealed as stored).
Streamed: memory does not grow with the number of logs. Secret keys are never
in a backup: keep .env.local's LEDGERLINE_HMAC_KEYS, LEDGERLINE_CHECKPOINT_KEYS,
SESSION_SECRET and LEDGERLINE_TOTP_KEY (without it the restored second factors
do not open) elsewhere (docs/operations.md, "Backup and restore").
\`npm run restore -- <folder>\` verifies and restores it. The folder and its
files are readable by their owner only.

--encrypt-to     an age public key (age1..., from \`npm run keys -- age\` or
                 age-keygen); repeatable. Every file is encrypted to each key
                 (FILE.age), streamed; restore with --identity and the
                 matching identity file.`,
  options: { out: { type: "string" }, "encrypt-to": { type: "string", multiple: true }, json: { type: "boolean" } },
  schema: z.object({
    out: z.string().min(1).default("backups"),
    "encrypt-to": z
      .array(z.string())
      .default([])
      .superRefine((keys, context) => {
        for (const key of keys)
          if (!isAgeRecipient(key))
            context.addIssue({ code: "custom", message: `"${key}" is not an age public key (age1...)` });
      }),
    json: z.boolean().default(false),
  }),
  main: async ({ out, "encrypt-to": encryptTo, json }) => {
    const config = getConfig();
    try {
      const started = performance.now();
      const db = await getDb();
      const { folder, manifest } = await writeBackup(db, {
        outDir: out,
        databaseName: config.mongodbDb,
        signer: getCheckpointSigner(),
        maxFutureSkewMs: config.ingestMaxFutureSkewMs,
        encryptTo,
      });
      const seconds = (performance.now() - started) / 1000;
      // A backup holds every password hash: who made one is worth knowing.
      await recordSecurityEvent(db, {
        ...CLI_ACTOR,
        action: "backup_created",
        status: "success",
        message: `backup ${path.basename(folder)} written with ${manifest.counts.logs} logs`,
        metadata: { backup: path.basename(folder), ...manifest.counts, encrypted_to: encryptTo.length },
      });
      if (json) return console.log(JSON.stringify({ folder, seconds, encrypted_to: encryptTo, manifest }));
      const { logs, checkpoints, purges, users, api_keys, alerts, suppression_rules, totp_factors } = manifest.counts;
      const mib = manifest.files.reduce((sum, file) => sum + file.bytes, 0) / 1024 / 1024;
      console.log(
        `Backed up ${logs} logs, ${checkpoints} checkpoints, ${purges} purge records, ${users} users, ${api_keys} API keys, ${alerts} alerts, ` +
          `${suppression_rules} suppression rules and ${totp_factors} TOTP factors ` +
          `to ${folder} (${mib.toFixed(1)} MiB) in ${seconds.toFixed(1)} s.\n` +
          (encryptTo.length > 0
            ? `Every file is encrypted with age to ${encryptTo.length} public key(s): restore it with --identity FILE.\n`
            : "") +
          "Secret keys are not in it: keep LEDGERLINE_HMAC_KEYS, LEDGERLINE_CHECKPOINT_KEYS, SESSION_SECRET and LEDGERLINE_TOTP_KEY separately.",
      );
    } finally {
      await closeMongoClient();
    }
  },
});
