// npm run backup – every log, checkpoint, purge record, user, API key and alert, as a folder of plain files
import path from "node:path";
import { z } from "zod";
import { CLI_ACTOR, recordSecurityEvent } from "@/lib/audit/security-events";
import { writeBackup } from "@/lib/backup/backup";
import { getConfig } from "@/lib/config";
import { closeMongoClient, getDb } from "@/lib/db/client";
import { getCheckpointSigner } from "@/lib/integrity/active-keyring";
import { runCli } from "./lib/cli";

runCli({
  usage: `Usage: npm run backup -- [--out DIR] [--json]

Writes DIR/ledgerline-backup-<time>/ (DIR defaults to ./backups): manifest.json
(counts, each file's SHA-256, signed with the checkpoint key), logs.ndjson (a
verifiable export of every log and checkpoint range), checkpoints.ndjson,
purges.ndjson, users.ndjson and api_keys.ndjson (password and key hashes as
stored), alerts.ndjson. Streamed: memory does not grow with the number of logs.
Secret keys are never in a backup: keep .env.local's LEDGERLINE_HMAC_KEYS,
LEDGERLINE_CHECKPOINT_KEYS and SESSION_SECRET elsewhere (see the README).
\`npm run restore -- <folder>\` verifies and restores it.`,
  options: { out: { type: "string" }, json: { type: "boolean" } },
  schema: z.object({ out: z.string().min(1).default("backups"), json: z.boolean().default(false) }),
  main: async ({ out, json }) => {
    const config = getConfig();
    try {
      const started = performance.now();
      const db = await getDb();
      const { folder, manifest } = await writeBackup(db, {
        outDir: out,
        databaseName: config.mongodbDb,
        signer: getCheckpointSigner(),
        maxFutureSkewMs: config.ingestMaxFutureSkewMs,
      });
      const seconds = (performance.now() - started) / 1000;
      // A backup holds every password hash: who made one is worth knowing.
      await recordSecurityEvent(db, {
        ...CLI_ACTOR,
        action: "backup_created",
        status: "success",
        message: `backup ${path.basename(folder)} written with ${manifest.counts.logs} logs`,
        metadata: { backup: path.basename(folder), ...manifest.counts },
      });
      if (json) return console.log(JSON.stringify({ folder, seconds, manifest }));
      const { logs, checkpoints, purges, users, api_keys, alerts } = manifest.counts;
      const mib = manifest.files.reduce((sum, file) => sum + file.bytes, 0) / 1024 / 1024;
      console.log(
        `Backed up ${logs} logs, ${checkpoints} checkpoints, ${purges} purge records, ${users} users, ${api_keys} API keys and ${alerts} alerts ` +
          `to ${folder} (${mib.toFixed(1)} MiB) in ${seconds.toFixed(1)} s.\n` +
          "Secret keys are not in it: keep LEDGERLINE_HMAC_KEYS, LEDGERLINE_CHECKPOINT_KEYS and SESSION_SECRET separately.",
      );
    } finally {
      await closeMongoClient();
    }
  },
});
