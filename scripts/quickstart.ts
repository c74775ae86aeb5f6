// npm run quickstart – local secrets, the embedded database, indexes, a
// production build, and the app at http://localhost:PORT until Ctrl+C.
import nextEnv from "@next/env";
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { closeMongoClient, getDb } from "@/lib/db/client";
import { checkDatabase } from "@/lib/db/health";
import { runCli, EXIT_PROBLEM } from "./lib/cli";
import { startEmbeddedDb, type EmbeddedDb } from "./lib/embedded-db";
import { ensureLocalSecrets } from "./lib/local-secrets";
import { runCommand } from "./lib/processes";
import { spawn } from "node:child_process";

const NEXT_ENV = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

runCli({
  usage: `Usage: npm run quickstart

Installs what is needed, starts the embedded database (unless MONGODB_URI is
set), builds the app and serves it at http://localhost:$PORT (default 3000).
Ctrl+C stops the app and the database.`,
  options: {},
  schema: z.object({}),
  main: async () => {
    const generated = ensureLocalSecrets();
    if (generated.length > 0) {
      console.log(`Wrote ${generated.join(", ")} into .env.local (git-ignored; keep it secret).`);
      nextEnv.loadEnvConfig(process.cwd(), false, { info: () => {}, error: console.error }, true);
    }
    const config = getConfig();
    const database = await startDatabaseIfNeeded();
    const stopDatabase = async () => {
      await closeMongoClient();
      await database?.stop();
    };
    try {
      await getDb(); // connecting creates the indexes
      if ((await runCommand("npx", ["next", "build"], { env: NEXT_ENV })) !== 0) {
        console.error("error: the production build failed (see above)");
        return EXIT_PROBLEM;
      }
    } catch (error) {
      await stopDatabase();
      throw error;
    }
    await closeMongoClient();
    return serveUntilStopped(config.appPort, stopDatabase);
  },
});

async function startDatabaseIfNeeded(): Promise<EmbeddedDb | undefined> {
  const config = getConfig();
  if (!config.usesEmbeddedDb) {
    console.log("Using the MongoDB named by MONGODB_URI.");
    return undefined;
  }
  if ((await checkDatabase()).up) {
    console.log(`Using the embedded database already running on port ${config.embeddedDbPort}.`);
    return undefined;
  }
  const db = await startEmbeddedDb({ port: config.embeddedDbPort, dataDir: config.embeddedDbDataDir });
  console.log(`Embedded database started on 127.0.0.1:${db.port} (data in ${config.embeddedDbDataDir}).`);
  return db;
}

function serveUntilStopped(port: number, stopDatabase: () => Promise<void>): Promise<number> {
  const app = spawn("npx", ["next", "start", "--port", String(port), "--hostname", "127.0.0.1"], {
    stdio: "inherit",
    env: NEXT_ENV,
  });
  const stopApp = () => app.kill("SIGTERM");
  process.once("SIGINT", stopApp);
  process.once("SIGTERM", stopApp);
  void announceWhenReady(port, app.pid);
  return new Promise((resolve) => {
    app.once("exit", async (code) => {
      await stopDatabase();
      console.log("Ledgerline stopped.");
      resolve(code === 0 || code === null ? 0 : EXIT_PROBLEM);
    });
  });
}

async function announceWhenReady(port: number, pid: number | undefined): Promise<void> {
  const url = `http://localhost:${port}`;
  for (let attempt = 0; attempt < 120 && pid; attempt++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (response.ok) {
        console.log(`\n  Ledgerline is running at ${url}\n  Open ${url}/logs in your browser. Press Ctrl+C to stop.\n`);
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
