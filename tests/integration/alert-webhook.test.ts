// The alert webhook against a receiver on loopback: retries a failing one,
// gives up on a client error at once, and never waits longer than its timeout.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, describe, it } from "node:test";
import type { Alert } from "@/lib/alerts/alerts";
import { sendAlertWebhook } from "@/lib/alerts/webhook";

const servers: Server[] = [];
after(() => servers.forEach((server) => server.close()));

async function receiver(answer: (attempt: number) => number | "hang"): Promise<{ url: string; attempts: () => number; bodies: string[] }> {
  let attempts = 0;
  const bodies: string[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      bodies.push(body);
      const status = answer(++attempts);
      if (status !== "hang") response.writeHead(status).end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, attempts: () => attempts, bodies };
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
    const body = JSON.parse(hook.bodies[0]!);
    assert.deepEqual([body.alert.id, body.alert.type, body.alert.count, body.alert.subject_key], ["a1", "failure_burst", 6, undefined]);
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
