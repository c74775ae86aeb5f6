import { getConfig } from "@/lib/config";
import { getDb } from "./client";
import { ensureIndexes } from "./indexes";

const RETRY_DELAY_MS = 5_000;

/**
 * Validates configuration now (throwing stops the server) and creates indexes
 * without blocking start-up: while the database is down it retries quietly, so
 * the app starts and reports the outage through /api/health instead of crashing.
 */
export function prepareDatabaseInBackground(): void {
  getConfig();
  void createIndexesUntilDone();
}

async function createIndexesUntilDone(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await ensureIndexes(await getDb());
      return;
    } catch (error) {
      if (attempt === 1) {
        console.warn(`ledgerline: database not ready, indexes will be created when it is (${String(error)})`);
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS).unref());
    }
  }
}
