// On-demand detection with ANOMALIES_CONCURRENCY=1 and ANOMALIES_QUEUE=0: a
// run in progress (a stream whose client has read only its first line) holds
// the one slot, so the next run, streamed or not, is refused with 503 and
// Retry-After; once that client goes away the slot is free again.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as anomalies from "@/app/api/anomalies/route";
import * as stream from "@/app/api/anomalies/stream/route";
import { detectionLimit } from "@/lib/features/requests/read-limits";
import { getDb } from "@/lib/platform/db/client";
import { createTestApiKey, setupAppDatabase } from "./support/app-db";
import { call, TEST_HOST } from "./support/http";

setupAppDatabase("anomalies_limit", { ANOMALIES_CONCURRENCY: "1", ANOMALIES_QUEUE: "0" });

let key: string;

before(async () => {
  key = await createTestApiKey(await getDb(), ["read"]);
});

describe("the limit on on-demand detection runs", () => {
  it("refuses a second run with 503 server_busy while a stream holds the slot, and serves again once its client leaves", async () => {
    const request = new Request(`http://${TEST_HOST}/api/anomalies/stream`, {
      headers: { host: TEST_HOST, authorization: `Bearer ${key}` },
    });
    const holding = await stream.GET(request, { params: Promise.resolve({}) });
    assert.equal(holding.status, 200);
    const reader = holding.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    assert.equal(JSON.parse(first).event, "started");
    assert.equal(detectionLimit().running, 1);

    for (const [handler, url] of [
      [anomalies.GET, "/api/anomalies"],
      [stream.GET, "/api/anomalies/stream"],
    ] as const) {
      const busy = await call(handler, "GET", url, { key });
      assert.equal(busy.status, 503, url);
      assert.equal(busy.body.error.code, "server_busy", url);
      assert.match(busy.body.error.message, /busy with anomaly detection runs; retry in 10 seconds/, url);
      assert.equal(busy.headers.get("retry-after"), "10", url);
    }

    await reader.cancel();
    assert.equal(detectionLimit().running, 0);
    const served = await call(anomalies.GET, "GET", "/api/anomalies", { key });
    assert.equal(served.status, 200);
    assert.ok(Array.isArray(served.body.findings));
    assert.equal(detectionLimit().peak, 1);
  });
});
