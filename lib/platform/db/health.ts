import { getConfig } from "@/lib/foundation/config";
import { getDb } from "./client";

export type DatabaseHealth = { up: true; latencyMs: number } | { up: false; reason: string };

/**
 * Pings the database, giving up after the configured timeout so that callers
 * (the health endpoint, pages) answer quickly while the database is down.
 */
export async function checkDatabase(): Promise<DatabaseHealth> {
  const { dbTimeoutMs } = getConfig();
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${dbTimeoutMs} ms`)), dbTimeoutMs);
  });
  try {
    await Promise.race([getDb().then((db) => db.command({ ping: 1 })), timeout]);
    return { up: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { up: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
