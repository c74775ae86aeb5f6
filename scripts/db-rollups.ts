// npm run db:rollups – rebuild the dashboard's rollups from the stored logs
import { z } from "zod";
import { closeMongoClient, getDb } from "@/lib/db/client";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import { runCli } from "./lib/cli";

runCli({
  usage: `Usage: npm run db:rollups -- [--json]

Recounts the dashboard's rollups (logs per 15-minute quarter, overall and per
ip, user and action) from the stored logs of every checkpointed range, and
replaces the rollups of those checkpoints. Each checkpoint normally writes its
own; run this after restoring logs, or to check them. Logs newer than the last
checkpoint are counted by the next checkpoint.`,
  options: { json: { type: "boolean" } },
  schema: z.object({ json: z.boolean().default(false) }),
  main: async ({ json }) => {
    try {
      const started = performance.now();
      const result = await rebuildRollups(await getDb());
      const seconds = (performance.now() - started) / 1000;
      console.log(
        json
          ? JSON.stringify({ ...result, seconds })
          : `Rebuilt ${result.documents} rollup documents from ${result.logs} logs under ${result.checkpoints} checkpoints in ${seconds.toFixed(1)} s.`,
      );
    } finally {
      await closeMongoClient();
    }
  },
});
