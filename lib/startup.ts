import { getConfig } from "@/lib/config";
import { getKeyring } from "@/lib/integrity/active-keyring";
import { getDb } from "@/lib/db/client";

const RETRY_DELAY_MS = 5_000;

/**
 * Validates configuration and the signing keyring now (throwing stops the
 * server with a message naming the variable) and connects (which creates
 * indexes) without blocking start-up: while the database is down it retries
 * quietly, and the app reports the outage through /api/health meanwhile.
 */
export function prepareAtStartup(): void {
  getConfig();
  getKeyring();
  void connectUntilDone();
}

async function connectUntilDone(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await getDb();
      return;
    } catch (error) {
      if (attempt === 1) {
        console.warn(`ledgerline: database not ready, indexes will be created when it is (${String(error)})`);
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS).unref());
    }
  }
}
