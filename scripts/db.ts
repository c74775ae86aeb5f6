// npm run db – run the embedded database in the foreground until Ctrl+C
import { z } from "zod";
import { getConfig } from "@/lib/foundation/config";
import { runCli } from "./lib/cli";
import { startEmbeddedDb } from "./lib/embedded-db";

runCli({
  usage: `Usage: npm run db -- [--port N] [--data-dir DIR]

Runs the embedded database (FerretDB v1.24.2 on SQLite) on 127.0.0.1 until stopped.
Defaults come from EMBEDDED_DB_PORT (27117) and EMBEDDED_DB_DATA_DIR (.data/db).`,
  options: { port: { type: "string" }, "data-dir": { type: "string" } },
  schema: z.object({
    port: z.coerce.number().int().min(0).max(65535).optional(),
    "data-dir": z.string().min(1).optional(),
  }),
  main: async (args) => {
    const config = getConfig();
    const db = await startEmbeddedDb({
      port: args.port ?? config.embeddedDbPort,
      dataDir: args["data-dir"] ?? config.embeddedDbDataDir,
    });
    console.log(`Embedded database ready at ${db.uri}\nData folder: ${db.dataDir}\nPress Ctrl+C to stop.`);
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void db.stop());
    await new Promise((resolve) => db.process.once("exit", resolve));
    return db.process.exitCode ?? 0;
  },
});
