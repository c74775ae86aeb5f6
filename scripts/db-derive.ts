// npm run db:derive – rebuild everything derived from the stored logs: rollups, baselines and the search layout
import { z } from "zod";
import { rebuildBaselines } from "@/lib/alerts/baseline-rebuild";
import { getConfig } from "@/lib/config";
import { closeMongoClient, getDb } from "@/lib/db/client";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import { rebuildSearchLayout } from "@/lib/search/rebuild";
import { runCli } from "./lib/cli";

runCli({
  usage: `Usage: npm run db:derive -- [--json]

Rebuilds, from the stored logs through the last derived checkpoint, what each
checkpoint normally derives: the dashboard's rollups (npm run db:rollups), the
per-user baselines (npm run db:baselines) and the search layout the log
explorer reads. While the search layout is rebuilt, the explorer reads the
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
      const seconds = (performance.now() - started) / 1000;
      console.log(
        json
          ? JSON.stringify({ rollups, baselines, search, seconds })
          : `Rebuilt ${rollups.documents} rollup documents, ${baselines.documents} baseline days and ${search.parts} search parts ` +
              `from the logs through checkpoint ${search.checkpoint} (${search.logs} logs) in ${seconds.toFixed(1)} s.`,
      );
    } finally {
      await closeMongoClient();
    }
  },
});
