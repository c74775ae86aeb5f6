// npm run retention – purge logs older than the retention period, as whole signed checkpoint ranges
import { z } from "zod";
import { CLI_ACTOR } from "@/lib/records/audit/security-events";
import { getConfig } from "@/lib/foundation/config";
import { closeMongoClient, getDb } from "@/lib/platform/db/client";
import { getCheckpointSigner } from "@/lib/records/integrity/active-keyring";
import { runRetention } from "@/lib/features/retention/run-retention";
import { EXIT_USAGE, runCli } from "./lib/cli";

runCli({
  usage: `Usage: npm run retention -- [--days N] [--dry-run] [--json]

Deletes the logs of every checkpoint range all of whose logs were received more
than RETENTION_DAYS (or --days) ago, after recording a purge record signed with
the checkpoint key, so that \`npm run verify\` expects them gone rather than
reporting them deleted. Checkpoints stay. The rollups are recounted from the logs that remain.
--dry-run only reports what would be deleted. Schedule it daily, e.g. with cron:
  15 3 * * *  cd /srv/ledgerline && npm run retention --silent`,
  options: { days: { type: "string" }, "dry-run": { type: "boolean" }, json: { type: "boolean" } },
  schema: z.object({
    days: z.coerce.number().int().min(1).max(36_500).optional(),
    "dry-run": z.boolean().default(false),
    json: z.boolean().default(false),
  }),
  main: async ({ days, "dry-run": dryRun, json }) => {
    const retentionMs = days !== undefined ? days * 86_400_000 : getConfig().retentionMs;
    if (retentionMs === undefined) {
      console.error("error: no retention period: set RETENTION_DAYS in .env.local or pass --days N");
      return EXIT_USAGE;
    }
    try {
      const result = await runRetention(await getDb(), {
        retentionMs,
        signer: getCheckpointSigner(),
        actor: CLI_ACTOR,
        dryRun,
      });
      if (json) console.log(JSON.stringify(result));
      else if (result.through_checkpoint === null)
        console.log(`Nothing to purge: no checkpoint was written before ${result.cutoff.toISOString()}.`);
      else {
        const verb = dryRun ? "Would purge" : "Purged";
        console.log(
          `${verb} ${result.logs_deleted} logs received before ${result.cutoff.toISOString()} (checkpoints 1–${result.through_checkpoint}, sequences below ${result.through_sequence})${dryRun ? "" : `, rollups recounted (${result.rollup_documents} documents), ${result.baseline_days_deleted} baseline days deleted`}.`,
        );
      }
    } finally {
      await closeMongoClient();
    }
  },
});
