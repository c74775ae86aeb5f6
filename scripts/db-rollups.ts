// npm run db:rollups – rebuild the dashboard's rollups from the stored logs
import { z } from "zod";
import { closeMongoClient, getDb } from "@/lib/platform/db/client";
import { rebuildRollups } from "@/lib/derived/rollups/rebuild";
import { runCli } from "./lib/cli";

runCli({
  usage: `Usage: npm run db:rollups -- [--json]

Recounts the dashboard's rollups (logs per UTC day, hour and 15-minute
quarter, overall and per ip, user and action, and alerts per type and
severity) from the stored logs through the last derived checkpoint and from
the stored alerts, and replaces them. Each checkpoint normally adds its own;
run this once after upgrading from the per-checkpoint rollups (the dashboard
says so), after restoring logs, or to check them. Safe while the app runs:
logs newer than that checkpoint are counted by the next one.`,
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
          : `Rebuilt ${result.documents} rollup documents from ${result.logs} logs through checkpoint ${result.checkpoints} and ${result.alerts} alerts in ${seconds.toFixed(1)} s.`,
      );
    } finally {
      await closeMongoClient();
    }
  },
});
