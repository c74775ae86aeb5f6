import type { Db } from "mongodb";
import { upgradeAlertIndex } from "@/lib/derived/alerts/alert-index-rebuild";
import { webhookStartupWarnings } from "@/lib/derived/alerts/webhook";
import { flushAuditEvents } from "@/lib/records/audit/access-audit";
import { getConfig } from "@/lib/foundation/config";
import { getDb } from "@/lib/platform/db/client";
import { isStorageFull, noteStorageFull } from "@/lib/platform/db/storage-full";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { upgradeSearchLayout } from "@/lib/derived/search/upgrade";

const RETRY_DELAY_MS = 5_000;

/**
 * Validates configuration and signing keys now (throwing stops the server
 * with a message naming the variable), warns about an unsigned or plain-http
 * alert webhook, connects (which creates indexes) without blocking start-up,
 * starts the checkpoint timer and flushes the aggregated security events at
 * shutdown. While the database is down, both retry quietly and /api/health
 * reports the outage.
 * Once connected, a search layout that is not whole (a database from an
 * earlier release) is derived in the background, then the alert index built
 * if alerts came before it.
 */
export function prepareAtStartup(): void {
  const { checkpointIntervalMs, alertWebhookUrl, alertWebhookSecret } = getConfig();
  getKeyring();
  getCheckpointSigner();
  for (const warning of webhookStartupWarnings(alertWebhookUrl, alertWebhookSecret)) console.warn(warning);
  void connectUntilDone().then(upgradeInBackground);
  if (checkpointIntervalMs > 0) setInterval(checkpointOnce, checkpointIntervalMs).unref();
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void flushAtShutdown(signal));
}

/**
 * Writes the security events still being counted. Next.js's own handler of
 * the signal exits once its server has closed, so this is a race it usually
 * wins (a few inserts); without that handler (NEXT_MANUAL_SIG_HANDLE), the
 * signal is raised again afterwards to end the process as it would have.
 */
async function flushAtShutdown(signal: NodeJS.Signals): Promise<void> {
  await flushAuditEvents();
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

async function upgradeInBackground(db: Db): Promise<void> {
  try {
    await upgradeSearchLayout(db);
  } catch (error) {
    console.warn(
      `ledgerline: the search layout was not derived; reads use the logs collection until the next start (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  try {
    const rebuilt = await upgradeAlertIndex(db);
    if (rebuilt) console.log(`ledgerline: indexed ${rebuilt.alerts} alerts for the alert list`);
  } catch (error) {
    console.warn(
      `ledgerline: the alert index was not built; the alert list reads every alert until the next start (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

async function connectUntilDone(): Promise<Db> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await getDb();
    } catch (error) {
      if (attempt === 1) {
        console.warn(`ledgerline: database not ready, indexes will be created when it is (${String(error)})`);
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS).unref());
    }
  }
}

let isCheckpointing = false;

// Every app instance runs this; the unique checkpoint number lets one win each round.
async function checkpointOnce(): Promise<void> {
  if (isCheckpointing) return;
  isCheckpointing = true;
  try {
    await writeCheckpoint(await getDb(), {
      signer: getCheckpointSigner(),
      voidAfterMs: getConfig().checkpointVoidAfterMs,
    });
  } catch (error) {
    if (isStorageFull(error)) noteStorageFull();
    const reason = isStorageFull(error)
      ? "the database's disk is full"
      : error instanceof Error
        ? error.message
        : String(error);
    console.warn(`ledgerline: checkpoint not written this round (${reason})`);
  } finally {
    isCheckpointing = false;
  }
}
