// A throwaway Ledgerline deployment: the embedded database on a temporary
// folder and K production instances (`next start`) sharing it, signed with
// fresh keys. The soak and the reliability tests run against it. The calling
// process adopts the stack's environment, so that the app's own library code
// (getDb, the keyring, verify) reaches the same data with the same keys.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ApiKeyScope } from "@/lib/records/auth/api-key-schemas";
import { createApiKey } from "@/lib/records/auth/api-keys";
import type { Role } from "@/lib/records/auth/user-schemas";
import { createUser } from "@/lib/records/auth/users";
import { closeMongoClient, getDb } from "@/lib/platform/db/client";
import { generateCheckpointKeySpec } from "@/lib/records/integrity/checkpoint-keys";
import { generateKeySpec } from "@/lib/records/integrity/keyring";
import { startEmbeddedDb, type EmbeddedDb } from "./embedded-db";
import { startNextApp, type NextApp } from "./next-app";
import { cleanupOnSignal } from "./processes";

/** Keys made for one run, never .env.local's. */
export function throwawaySecrets(): Record<string, string> {
  return {
    LEDGERLINE_HMAC_KEYS: generateKeySpec("test"),
    SESSION_SECRET: randomBytes(32).toString("base64url"),
    LEDGERLINE_CHECKPOINT_KEYS: generateCheckpointKeySpec("ctest"),
    LEDGERLINE_TOTP_KEY: randomBytes(32).toString("base64url"),
  };
}

export type AppStack = {
  /** What every instance was started with (database, secrets, settings), also in this process's env. */
  env: Record<string, string>;
  db: EmbeddedDb;
  apps: NextApp[];
  /** Stops the database (SIGKILL by default) and starts it again on the same port and folder. */
  restartDb(signal?: NodeJS.Signals): Promise<void>;
  /** Stops instance i (SIGKILL by default) and starts it again on the same port. */
  restartApp(index: number, signal?: NodeJS.Signals): Promise<void>;
  /** Stops every instance (SIGTERM), leaving the database running. */
  stopApps(): Promise<void>;
  createApiKey(scopes?: ApiKeyScope[]): Promise<string>;
  createUser(role: Role): Promise<{ email: string; password: string }>;
  stop(): Promise<void>;
};

export type AppStackOptions = {
  instances: number;
  /** Settings for every instance (rate limits, checkpoint interval...). */
  env?: Record<string, string>;
  /** The database folder; a temporary one, removed at stop, when absent. */
  dataDir?: string;
};

export async function startAppStack(options: AppStackOptions): Promise<AppStack> {
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), "ledgerline-stack-"));
  let db = await startEmbeddedDb({ port: 0, dataDir, stderr: "ignore" });
  const mongodbUri = db.uri;
  const mongodbDb = `stack_${randomBytes(4).toString("hex")}`;
  const env: Record<string, string> = {
    ...throwawaySecrets(),
    MONGODB_URI: mongodbUri,
    MONGODB_DB: mongodbDb,
    ...options.env,
  };
  Object.assign(process.env, env);
  const apps: NextApp[] = [];
  const stop = async () => {
    await closeMongoClient();
    await Promise.all(apps.map((app) => app.stop()));
    await db.stop();
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const forgetSignal = cleanupOnSignal(stop);
  try {
    for (let i = 0; i < options.instances; i++) apps.push(await startNextApp(env));
  } catch (error) {
    forgetSignal();
    await stop();
    throw error;
  }

  return {
    env,
    get db() {
      return db;
    },
    apps,
    restartDb: async (signal = "SIGKILL") => {
      await db.stop(signal);
      db = await startEmbeddedDb({ port: db.port, dataDir, stderr: "ignore" });
    },
    restartApp: async (index, signal = "SIGKILL") => {
      const app = apps[index];
      if (!app) throw new Error(`no instance ${index}`);
      process.kill(app.pid, signal);
      await app.stop();
      apps[index] = await startNextApp(env, app.port);
    },
    stopApps: async () => {
      await Promise.all(apps.map((app) => app.stop()));
    },
    createApiKey: async (scopes = ["ingest", "read"]) => {
      const name = `stack-${randomBytes(4).toString("hex")}`;
      return (await createApiKey(await getDb(), { name, scopes }, { user: "stack" })).key;
    },
    createUser: async (role) => {
      const email = `${role}-${randomBytes(4).toString("hex")}@example.test`;
      const password = randomBytes(18).toString("base64url");
      await createUser(await getDb(), { email, role }, password, { user: "stack" });
      return { email, password };
    },
    stop: async () => {
      forgetSignal();
      await stop();
    },
  };
}
