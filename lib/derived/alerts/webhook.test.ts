import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { webhookStartupWarnings } from "./webhook";

const SECRET = "x".repeat(32);

describe("webhookStartupWarnings", () => {
  it("warns about a missing secret and about plain http:// to another host", () => {
    const warnings = webhookStartupWarnings("http://hooks.example.com/alerts", undefined);
    assert.equal(warnings.length, 2);
    assert.match(warnings[0]!, /LEDGERLINE_ALERT_WEBHOOK_SECRET is not set: alert webhook deliveries are unsigned/);
    assert.match(warnings[1]!, /to hooks\.example\.com over plain http:\/\//);
  });

  it("stays quiet for https://, for http:// on loopback with a secret, and without a webhook", () => {
    assert.deepEqual(webhookStartupWarnings("https://hooks.example.com/alerts", SECRET), []);
    for (const url of ["http://localhost:8080/", "http://127.0.0.1/", "http://[::1]:9000/hook"])
      assert.deepEqual(webhookStartupWarnings(url, SECRET), [], url);
    assert.deepEqual(webhookStartupWarnings(undefined, undefined), []);
  });
});
