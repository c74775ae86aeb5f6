// npm run db:baselines – rebuild the per-user baselines of the checkpoints' anomaly rules from the stored logs
import { z } from "zod";
import { rebuildBaselines } from "@/lib/derived/alerts/baseline-rebuild";
import { getConfig } from "@/lib/foundation/config";
import { closeMongoClient, getDb } from "@/lib/platform/db/client";
import { runCli } from "./lib/cli";

runCli({
  usage: `Usage: npm run db:baselines -- [--json]

Recounts, from the successful logs of every checkpointed range, the per-user
baselines that checkpoints judge new addresses and rare hours by (one document
per UTC day: events, hours and dates in ANOMALY_TIME_ZONE, addresses), and
replaces the stored ones. Each checkpoint normally adds its own logs; run this
with the app stopped, after restoring logs or changing ANOMALY_TIME_ZONE.`,
  options: { json: { type: "boolean" } },
  schema: z.object({ json: z.boolean().default(false) }),
  main: async ({ json }) => {
    try {
      const started = performance.now();
      const result = await rebuildBaselines(await getDb(), getConfig().anomaly);
      const seconds = (performance.now() - started) / 1000;
      console.log(
        json
          ? JSON.stringify({ ...result, seconds })
          : `Rebuilt ${result.documents} baseline days from ${result.logs} successful logs under ${result.checkpoints} checkpoints in ${seconds.toFixed(1)} s.`,
      );
    } finally {
      await closeMongoClient();
    }
  },
});
