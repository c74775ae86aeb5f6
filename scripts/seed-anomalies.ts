// npm run seed:anomalies – inject one clear instance of each finding type into the last 24 hours
import { z } from "zod";
import { closeMongoClient, getDb } from "@/lib/platform/db/client";
import { checkpointSeededLogs, injectAnomalies } from "@/lib/features/generators/seed";
import { runCli } from "./lib/cli";
import { formatTable } from "./lib/table";

runCli({
  usage: `Usage: npm run seed:anomalies -- [--json]

Stores, through the ingestion path, one clear instance of each pattern anomaly
detection looks for (failure_burst, targeted_account, password_spraying,
success_after_failures, unknown_network, off_hours, new_ip_for_user,
rare_hour_for_user) within the last 24 hours, with recognisable subjects such
as 203.0.113.66 and victim.user, plus the earlier history that the per-user
rules need; writes a checkpoint after that history and one after the
anomalies, which raises each as an alert, and prints what it injected (--json:
as {"injected": [...]}). \`npm run anomalies\` also finds each of them.`,
  options: { json: { type: "boolean" } },
  schema: z.object({ json: z.boolean().default(false) }),
  main: async ({ json }) => {
    try {
      const db = await getDb();
      const injected = await injectAnomalies(db);
      const checkpoint = await checkpointSeededLogs(db);
      if (json) {
        console.log(JSON.stringify({ injected }));
        return;
      }
      const rows = injected.map((a) => [
        a.type,
        [a.user, a.ip].filter(Boolean).join(" from "),
        a.time.toISOString(),
        String(a.count),
        a.history ? String(a.history) : "",
      ]);
      console.log(formatTable(["type", "subject", "time", "logs", "history logs"], rows, [3, 4]));
      console.log(
        `\nInjected ${injected.length} anomalies; checkpoint ${checkpoint} covers them. Run \`npm run anomalies\` to find them.`,
      );
    } finally {
      await closeMongoClient();
    }
  },
});
