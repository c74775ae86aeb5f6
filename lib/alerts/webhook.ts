// Delivers each new alert to LEDGERLINE_ALERT_WEBHOOK_URL as JSON, with a
// timeout and retries, in the background: a slow or dead receiver never holds
// up the checkpoint (or anything else). The body is what GET /api/alerts shows.
import type { Alert } from "./alerts";
import { alertJson } from "./alert-json";

export type WebhookOptions = { timeoutMs?: number; retryDelaysMs?: readonly number[]; log?: (message: string) => void };

const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_RETRY_DELAYS_MS = [1_000, 5_000, 30_000];

/** Starts delivering and returns at once; the promise it also returns settles when delivery ends (for tests). */
export function sendAlertWebhook(url: string, alert: Alert, options: WebhookOptions = {}): Promise<boolean> {
  return deliver(url, JSON.stringify({ alert: alertJson(alert) }), options).catch(() => false);
}

async function deliver(url: string, body: string, options: WebhookOptions): Promise<boolean> {
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const log = options.log ?? ((message: string) => console.error(message));
  for (let attempt = 0; ; attempt++) {
    let problem: string;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "User-Agent": "Ledgerline alert webhook" },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
        redirect: "error",
      });
      await response.body?.cancel();
      if (response.ok) return true;
      problem = `answered ${response.status}`;
      // A client error other than throttling will not change by retrying.
      if (response.status < 500 && response.status !== 429) attempt = delays.length;
    } catch (error) {
      problem = error instanceof Error && error.name === "TimeoutError" ? "did not answer in time" : "could not be reached";
    }
    if (attempt >= delays.length) {
      log(`ledgerline: the alert webhook ${problem}; giving up after ${attempt + 1} attempts`);
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, delays[attempt]));
  }
}
