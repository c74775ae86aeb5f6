// One MongoClient per process. It is kept on globalThis so that Next.js dev
// reloads reuse it instead of opening a new pool on every edit.
import { MongoClient, type Db } from "mongodb";
import { getConfig } from "@/lib/foundation/config";
import { ensureIndexes } from "./indexes";

const holder = globalThis as typeof globalThis & { ledgerlineMongoClient?: Promise<MongoClient> };

/**
 * The connected client. A client whose first connection failed stays closed
 * for good ("Topology is closed"), so a failed attempt is forgotten and the
 * next call starts afresh; once connected, the driver rides out outages itself.
 * Indexes are ensured on each process's first connection, so that every
 * consumer (app instance or script) can rely on the unique ones.
 */
export function getMongoClient(): Promise<MongoClient> {
  holder.ledgerlineMongoClient ??= connect().catch((error: unknown) => {
    holder.ledgerlineMongoClient = undefined;
    throw error;
  });
  return holder.ledgerlineMongoClient;
}

async function connect(): Promise<MongoClient> {
  const { mongodbUri, dbTimeoutMs } = getConfig();
  const client = new MongoClient(mongodbUri, {
    appName: "ledgerline",
    serverSelectionTimeoutMS: dbTimeoutMs,
    connectTimeoutMS: dbTimeoutMs,
  });
  await client.connect();
  try {
    await ensureIndexes(client.db(getConfig().mongodbDb));
  } catch (error) {
    await client.close();
    throw error;
  }
  return client;
}

export async function getDb(): Promise<Db> {
  return (await getMongoClient()).db(getConfig().mongodbDb);
}

export async function closeMongoClient(): Promise<void> {
  const pending = holder.ledgerlineMongoClient;
  holder.ledgerlineMongoClient = undefined;
  const client = await pending?.catch(() => undefined);
  await client?.close();
}
