// Delivers each new alert, suppressed ones aside, to
// LEDGERLINE_ALERT_WEBHOOK_URL as JSON, with a timeout and retries, in the
// background: a slow or dead receiver never holds up the checkpoint (or
// anything else). The body is {"delivery_id", "alert"},
// the alert as GET /api/alerts shows it; each attempt is signed afresh
// (webhook-signature.ts) and every attempt of one delivery carries its id.
import { randomUUID } from "node:crypto";
import type { Alert } from "./alert-record";
import { alertJson } from "./alert-json";
import { DELIVERY_HEADER, SIGNATURE_HEADER, signWebhookBody } from "./webhook-signature";

export type WebhookOptions = {
  /** LEDGERLINE_ALERT_WEBHOOK_SECRET; without it deliveries are unsigned. */
  secret?: string;
  timeoutMs?: number;
  retryDelaysMs?: readonly number[];
  log?: (message: string) => void;
};

const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_RETRY_DELAYS_MS = [1_000, 5_000, 30_000];

/** Starts delivering each alert detection created, suppressed ones left out; returns at once. */
export function sendNewAlertWebhooks(url: string, created: readonly Alert[], options: WebhookOptions = {}): void {
  for (const alert of created) if (alert.status !== "suppressed") void sendAlertWebhook(url, alert, options);
}

/** Starts delivering and returns at once; the promise it also returns settles when delivery ends (for tests). */
export function sendAlertWebhook(url: string, alert: Alert, options: WebhookOptions = {}): Promise<boolean> {
  const deliveryId = randomUUID();
  return deliver(url, deliveryId, JSON.stringify({ delivery_id: deliveryId, alert: alertJson(alert) }), options).catch(
    () => false,
  );
}

async function deliver(url: string, deliveryId: string, body: string, options: WebhookOptions): Promise<boolean> {
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const log = options.log ?? ((message: string) => console.error(message));
  for (let attempt = 0; ; attempt++) {
    let problem: string;
    try {
      const headers: Record<string, string> = {
        "Content-Type": "application/json",
        "User-Agent": "Ledgerline alert webhook",
        [DELIVERY_HEADER]: deliveryId,
      };
      if (options.secret) headers[SIGNATURE_HEADER] = signWebhookBody(options.secret, body);
      const response = await fetch(url, {
        method: "POST",
        headers,
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
      problem =
        error instanceof Error && error.name === "TimeoutError" ? "did not answer in time" : "could not be reached";
    }
    if (attempt >= delays.length) {
      log(
        `ledgerline: the alert webhook ${problem}; giving up on delivery ${deliveryId} after ${attempt + 1} attempts`,
      );
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, delays[attempt]));
  }
}

/** What an operator should hear at start about the configured webhook. */
export function webhookStartupWarnings(url: string | undefined, secret: string | undefined): string[] {
  if (!url) return [];
  const warnings: string[] = [];
  if (!secret)
    warnings.push(
      "ledgerline: LEDGERLINE_ALERT_WEBHOOK_SECRET is not set: alert webhook deliveries are unsigned, so the receiver cannot tell them from forgeries",
    );
  const { protocol, hostname } = new URL(url);
  if (protocol === "http:" && !isLoopbackHost(hostname)) {
    warnings.push(
      `ledgerline: LEDGERLINE_ALERT_WEBHOOK_URL sends alerts to ${hostname} over plain http://; anyone on the way can read them (use https://)`,
    );
  }
  return warnings;
}

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) ||
    host === "[::1]"
  );
}
