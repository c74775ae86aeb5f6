// npm run quickstart – local secrets, the embedded database, indexes, demo data
// on an empty database, a production build, and the app at http://localhost:PORT until Ctrl+C.
import nextEnv from "@next/env";
import { z } from "zod";
import { getConfig } from "@/lib/foundation/config";
import { randomBytes } from "node:crypto";
import type { Db } from "mongodb";
import { CLI_ACTOR } from "@/lib/records/audit/security-events";
import { countUsers, createUser } from "@/lib/records/auth/users";
import { closeMongoClient, getDb } from "@/lib/platform/db/client";
import { checkDatabase } from "@/lib/platform/db/health";
import { getLogStoreState } from "@/lib/features/explorer/log-pages";
import { DEMO_SEED, seedDemoData } from "@/lib/features/generators/seed";
import { readWholeLayout } from "@/lib/derived/search/read";
import { rebuildSearchLayout } from "@/lib/derived/search/rebuild";
import { tightenToOwnerOnly } from "@/lib/foundation/util/owner-only-files";
import { runCli, EXIT_PROBLEM } from "./lib/cli";
import { startEmbeddedDb, type EmbeddedDb } from "./lib/embedded-db";
import { ensureLocalSecrets } from "./lib/local-secrets";
import { NEXT_BIN } from "./lib/next-app";
import { runCommand } from "./lib/processes";
import { spawn } from "node:child_process";

const NEXT_ENV = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

runCli({
  usage: `Usage: npm run quickstart

Installs what is needed, starts the embedded database (unless MONGODB_URI is
set), seeds demo data when no service has sent a log yet (a week of normal
traffic and one instance of each anomaly), builds the app and serves it at
http://localhost:$PORT (default 3000).
Ctrl+C stops the app and the database.`,
  options: {},
  schema: z.object({}),
  main: async () => {
    const looseMode = tightenToOwnerOnly(".env.local");
    if (looseMode !== null)
      console.log(`.env.local could be read by others (mode ${looseMode.toString(8)}): it is now 600, owner only.`);
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
    let firstAdmin: Credentials | null = null;
    try {
      firstAdmin = await createFirstAdminIfNone(await getDb()); // connecting also creates the indexes
      await seedDemoDataIfEmpty(await getDb());
      await deriveSearchLayoutIfMissing(await getDb());
      if ((await runCommand("npx", ["next", "build"], { env: NEXT_ENV })) !== 0) {
        console.error("error: the production build failed (see above)");
        await stopDatabase();
        return EXIT_PROBLEM;
      }
    } catch (error) {
      await stopDatabase();
      throw error;
    }
    await closeMongoClient();
    return serveUntilStopped(config.appPort, stopDatabase, firstAdmin);
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

const FIRST_ADMIN_EMAIL = "admin@ledgerline.local";
type Credentials = { email: string; password: string };

/** On a database without users, an administrator with a random password, shown once. */
async function createFirstAdminIfNone(db: Db): Promise<Credentials | null> {
  if ((await countUsers(db)) > 0) return null;
  const password = randomBytes(15).toString("base64url");
  await createUser(db, { email: FIRST_ADMIN_EMAIL, name: "Administrator", role: "admin" }, password, CLI_ACTOR);
  return { email: FIRST_ADMIN_EMAIL, password };
}

/** A first look needs something to look at: demo traffic and anomalies, only while no service has sent a log. */
async function seedDemoDataIfEmpty(db: Db): Promise<void> {
  if ((await getLogStoreState(db)) !== "empty") return;
  const { seeded, injected } = await seedDemoData(db);
  console.log(
    `No logs yet: seeded demo data, ${seeded.accepted.toLocaleString("en-US")} logs of normal traffic over ${DEMO_SEED.days} days` +
      ` and ${injected.length} injected anomalies (\`npm run anomalies\` lists them; \`npm run seed -- --reset --count 0\` deletes every log).`,
  );
}

/** A database made before the search layout: the explorer reads the logs collection until it is derived, so derive it now (the app is not running yet). */
async function deriveSearchLayoutIfMissing(db: Db): Promise<void> {
  if (await readWholeLayout(db)) return;
  console.log("Deriving the search layout from the stored logs (once, for a database made before it)...");
  const started = performance.now();
  const result = await rebuildSearchLayout(db);
  console.log(
    `Search layout derived from ${result.logs.toLocaleString("en-US")} logs in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
  );
}

function serveUntilStopped(
  port: number,
  stopDatabase: () => Promise<void>,
  firstAdmin: Credentials | null,
): Promise<number> {
  const app = spawn(process.execPath, [NEXT_BIN, "start", "--port", String(port), "--hostname", "127.0.0.1"], {
    stdio: "inherit",
    env: NEXT_ENV,
  });
  const stopApp = () => app.kill("SIGTERM");
  process.once("SIGINT", stopApp);
  process.once("SIGTERM", stopApp);
  void announceWhenReady(port, app.pid, firstAdmin);
  return new Promise((resolve) => {
    app.once("exit", async (code) => {
      await stopDatabase();
      console.log("Ledgerline stopped.");
      resolve(code === 0 || code === null ? 0 : EXIT_PROBLEM);
    });
  });
}

async function announceWhenReady(port: number, pid: number | undefined, firstAdmin: Credentials | null): Promise<void> {
  const url = `http://localhost:${port}`;
  for (let attempt = 0; attempt < 120 && pid; attempt++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (response.ok) {
        const credentials = firstAdmin
          ? `\n  First administrator (shown only this once; change it with\n  npm run user -- reset-password ${firstAdmin.email}):\n    email:    ${firstAdmin.email}\n    password: ${firstAdmin.password}\n`
          : "";
        console.log(
          `\n  Ledgerline is running at ${url}\n  Open ${url}/logs in your browser. Press Ctrl+C to stop.\n${credentials}`,
        );
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
