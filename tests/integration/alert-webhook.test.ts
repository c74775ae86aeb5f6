// The alert webhook against a receiver on loopback: retries a failing one,
// gives up on a client error at once, never waits longer than its timeout, and
// signs each attempt so that a receiver refuses altered and replayed deliveries.
import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, describe, it } from "node:test";
import type { Alert } from "@/lib/derived/alerts/alert-record";
import { sendAlertWebhook } from "@/lib/derived/alerts/webhook";
import { verifyWebhookDelivery } from "@/lib/derived/alerts/webhook-signature";

const servers: Server[] = [];
after(() => servers.forEach((server) => server.close()));

type Delivery = { headers: IncomingHttpHeaders; body: string };

async function receiver(
  answer: (attempt: number, delivery: Delivery) => number | "hang",
): Promise<{ url: string; attempts: () => number; deliveries: Delivery[] }> {
  let attempts = 0;
  const deliveries: Delivery[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      const delivery = { headers: request.headers, body };
      deliveries.push(delivery);
      const status = answer(++attempts, delivery);
      if (status !== "hang") response.writeHead(status).end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, attempts: () => attempts, deliveries };
}

const ALERT: Alert = {
  _id: "a1",
  type: "failure_burst",
  severity: "high",
  ip: "203.0.113.9",
  start: new Date("2026-01-01T10:00:00Z"),
  end: new Date("2026-01-01T10:04:00Z"),
  count: 6,
  log_ids: ["x"],
  explanation: "6 failed logins",
  subject_key: "k",
  status: "open",
  created_at: new Date("2026-01-01T10:05:00Z"),
  updated_at: new Date("2026-01-01T10:05:00Z"),
  history: [],
};
const quiet = { retryDelaysMs: [20, 20], timeoutMs: 300, log: () => {} };

describe("sendAlertWebhook", () => {
  it("posts the alert as JSON and retries after server errors", async () => {
    const hook = await receiver((attempt) => (attempt < 3 ? 503 : 200));
    assert.equal(await sendAlertWebhook(hook.url, ALERT, quiet), true);
    assert.equal(hook.attempts(), 3);
    const body = JSON.parse(hook.deliveries[0]!.body);
    assert.deepEqual(
      [body.alert.id, body.alert.type, body.alert.count, body.alert.subject_key],
      ["a1", "failure_burst", 6, undefined],
    );
    assert.equal(hook.deliveries[0]!.headers["x-ledgerline-signature"], undefined, "unsigned without a secret");
    assert.equal(hook.deliveries[0]!.headers["x-ledgerline-delivery"], body.delivery_id);
  });

  it("gives up at once on a client error, and after its retries on a receiver that never answers", async () => {
    const refusing = await receiver(() => 400);
    assert.equal(await sendAlertWebhook(refusing.url, ALERT, quiet), false);
    assert.equal(refusing.attempts(), 1);

    const hanging = await receiver(() => "hang");
    const started = Date.now();
    assert.equal(await sendAlertWebhook(hanging.url, ALERT, quiet), false);
    assert.equal(hanging.attempts(), 3);
    assert.ok(Date.now() - started < 3_000);
  });

  it("reports an unreachable receiver without throwing", async () => {
    assert.equal(await sendAlertWebhook("http://127.0.0.1:9/", ALERT, quiet), false);
  });
});

const SECRET = "a webhook secret of at least 32 characters";

/** A receiver as the docs show it: verifies each delivery and handles each delivery id once. */
async function signedReceiver(failFirst: number) {
  const handled = new Set<string>();
  const outcomes: string[] = [];
  const answer = (outcome: string, status: number) => {
    outcomes.push(outcome);
    return status;
  };
  const hook = await receiver((attempt, { headers, body }) => {
    const verdict = verifyWebhookDelivery(SECRET, {
      body,
      signature: header(headers, "x-ledgerline-signature"),
      deliveryId: header(headers, "x-ledgerline-delivery"),
    });
    if (!verdict.ok) return answer(`refused: ${verdict.reason}`, 401);
    if (handled.has(verdict.deliveryId)) return answer("replayed", 409);
    if (attempt <= failFirst) return answer("failed", 503);
    handled.add(verdict.deliveryId);
    return answer("handled", 200);
  });
  return { ...hook, outcomes };
}

const header = (headers: IncomingHttpHeaders, name: string) => [headers[name]].flat()[0];

/** Sends a captured delivery again, as an attacker on the way could. */
async function resend(url: string, { headers, body }: Delivery): Promise<number> {
  const names = ["content-type", "x-ledgerline-signature", "x-ledgerline-delivery"];
  const response = await fetch(url, {
    method: "POST",
    headers: Object.fromEntries(names.map((name) => [name, header(headers, name)!])),
    body,
  });
  await response.body?.cancel();
  return response.status;
}

describe("signed alert webhook deliveries", () => {
  it("signs every attempt afresh under one delivery id, which the receiver verifies", async () => {
    const hook = await signedReceiver(1);
    assert.equal(await sendAlertWebhook(hook.url, ALERT, { ...quiet, secret: SECRET, retryDelaysMs: [1_100] }), true);
    assert.deepEqual(hook.outcomes, ["failed", "handled"]);
    const [first, retry] = hook.deliveries.map(({ headers }) => ({
      id: header(headers, "x-ledgerline-delivery"),
      signature: header(headers, "x-ledgerline-signature")!,
    }));
    assert.match(first!.id!, /^[0-9a-f-]{36}$/);
    assert.equal(retry!.id, first!.id);
    const timestamp = (signature: string) => Number(/^t=(\d+),v1=[0-9a-f]{64}$/.exec(signature)![1]);
    assert.ok(timestamp(retry!.signature) > timestamp(first!.signature), "the retry carries a fresh timestamp");
  });

  it("lets the receiver refuse an altered body, a forged delivery id and a replayed delivery", async () => {
    const hook = await signedReceiver(0);
    assert.equal(await sendAlertWebhook(hook.url, ALERT, { ...quiet, secret: SECRET }), true);
    const delivered = hook.deliveries[0]!;

    const altered = { ...delivered, body: delivered.body.replace('"count":6', '"count":1') };
    assert.notEqual(altered.body, delivered.body);
    assert.equal(await resend(hook.url, altered), 401);
    const otherId = {
      ...delivered,
      headers: { ...delivered.headers, "x-ledgerline-delivery": "00000000-0000-4000-8000-000000000000" },
    };
    assert.equal(await resend(hook.url, otherId), 401);
    assert.equal(await resend(hook.url, delivered), 409);
    assert.deepEqual(hook.outcomes.slice(0, 2), ["handled", "refused: the signature does not match the body"]);
    assert.match(hook.outcomes[2]!, /X-Ledgerline-Delivery does not match/);
    assert.equal(hook.outcomes[3], "replayed");
  });

  it("refuses a signature older than the tolerance, or made with another secret", async () => {
    const hook = await signedReceiver(0);
    await sendAlertWebhook(hook.url, ALERT, { ...quiet, secret: SECRET });
    const { headers, body } = hook.deliveries[0]!;
    const request = {
      body,
      signature: header(headers, "x-ledgerline-signature"),
      deliveryId: header(headers, "x-ledgerline-delivery"),
    };
    assert.equal(verifyWebhookDelivery(SECRET, request).ok, true);
    const later = verifyWebhookDelivery(SECRET, request, { now: new Date(Date.now() + 301_000) });
    assert.deepEqual(later, { ok: false, reason: "the signature's timestamp is more than 300 s away from now" });
    assert.equal(verifyWebhookDelivery(`${SECRET}!`, request).ok, false);
  });
});
