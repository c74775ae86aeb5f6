// npm run db:indexes – create every index (idempotent)
import { z } from "zod";
import { closeMongoClient, getDb } from "@/lib/platform/db/client";
import { ensureIndexes } from "@/lib/platform/db/indexes";
import { runCli } from "./lib/cli";

runCli({
  usage: `Usage: npm run db:indexes -- [--json]

Creates Ledgerline's indexes in the database named by MONGODB_URI and MONGODB_DB.
Running it again changes nothing.`,
  options: { json: { type: "boolean" } },
  schema: z.object({ json: z.boolean().default(false) }),
  main: async ({ json }) => {
    try {
      const result = await ensureIndexes(await getDb());
      if (json) console.log(JSON.stringify(result));
      else for (const { collection, indexes } of result) console.log(`${collection}: ${indexes.join(", ")}`);
    } finally {
      await closeMongoClient();
    }
  },
});
