// npm run db:derive – rebuild everything derived from the stored logs: rollups, baselines, the search layout and the
// alert index
import { z } from "zod";
import { rebuildAlertIndex } from "@/lib/derived/alerts/alert-index-rebuild";
import { rebuildBaselines } from "@/lib/derived/alerts/baseline-rebuild";
import { getConfig } from "@/lib/foundation/config";
import { closeMongoClient, getDb } from "@/lib/platform/db/client";
import { rebuildRollups } from "@/lib/derived/rollups/rebuild";
import { rebuildSearchLayout } from "@/lib/derived/search/rebuild";
import { runCli } from "./lib/cli";

runCli({
  usage: `Usage: npm run db:derive -- [--json]

Rebuilds, from the stored logs through the last derived checkpoint, what each
checkpoint normally derives: the dashboard's rollups (npm run db:rollups), the
per-user baselines (npm run db:baselines), the search layout the log
explorer reads, and the alert index the alert list reads (from the stored alerts). While the search layout is rebuilt, the explorer reads the
logs collection instead (slower, same results). Run it with the app stopped,
after restoring logs or on a database made before the search layout.`,
  options: { json: { type: "boolean" } },
  schema: z.object({ json: z.boolean().default(false) }),
  main: async ({ json }) => {
    try {
      const db = await getDb();
      const started = performance.now();
      const rollups = await rebuildRollups(db);
      const baselines = await rebuildBaselines(db, getConfig().anomaly);
      const search = await rebuildSearchLayout(db);
      const alertIndex = await rebuildAlertIndex(db);
      const seconds = (performance.now() - started) / 1000;
      console.log(
        json
          ? JSON.stringify({ rollups, baselines, search, alert_index: alertIndex, seconds })
          : `Rebuilt ${rollups.documents} rollup documents, ${baselines.documents} baseline days, ${search.parts} search parts and the index of ${alertIndex.alerts} alerts ` +
              `from the logs through checkpoint ${search.checkpoint} (${search.logs} logs) in ${seconds.toFixed(1)} s.`,
      );
    } finally {
      await closeMongoClient();
    }
  },
});
