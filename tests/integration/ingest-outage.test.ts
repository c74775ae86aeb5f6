// Ingestion while the database is away or frozen: 503 with Retry-After (a
// frozen one within REQUEST_DB_TIMEOUT_MS, and at once while
// REQUEST_DB_MAX_ABANDONED timed-out requests still wait on it), nothing
// acknowledged that is not stored, and the client's retry completes the
// batch, each log once.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { embeddedDbUri } from "@/lib/foundation/config";
import { startEmbeddedDb, type EmbeddedDb } from "@/scripts/lib/embedded-db";
import { findFreePort } from "@/scripts/lib/processes";
import { call } from "./support/http";
import { makeLogInputs } from "./support/log-inputs";

const REQUEST_DB_TIMEOUT_MS = 1_500;
const REQUEST_DB_MAX_ABANDONED = 3;
const dataDir = mkdtempSync(path.join(tmpdir(), "ledgerline-outage-"));
let server: EmbeddedDb;
let POST: typeof import("@/app/api/logs/route").POST;
let lib: {
  getDb: typeof import("@/lib/platform/db/client").getDb;
  closeMongoClient: typeof import("@/lib/platform/db/client").closeMongoClient;
  createTestApiKey: typeof import("./support/app-db").createTestApiKey;
  logsCollection: typeof import("@/lib/records/logs/collection").logsCollection;
  abandonedWork: typeof import("@/lib/platform/db/time-budget").abandonedWork;
};
let key: string;

before(async () => {
  const port = await findFreePort();
  server = await startEmbeddedDb({ port, dataDir, stderr: "ignore" });
  process.env.MONGODB_URI = embeddedDbUri(port);
  process.env.DB_TIMEOUT_MS = "1000";
  process.env.REQUEST_DB_TIMEOUT_MS = String(REQUEST_DB_TIMEOUT_MS);
  process.env.REQUEST_DB_MAX_ABANDONED = String(REQUEST_DB_MAX_ABANDONED);
  ({ POST } = await import("@/app/api/logs/route"));
  const [client, support, collection, budget] = await Promise.all([
    import("@/lib/platform/db/client"),
    import("./support/app-db"),
    import("@/lib/records/logs/collection"),
    import("@/lib/platform/db/time-budget"),
  ]);
  lib = {
    ...client,
    createTestApiKey: support.createTestApiKey,
    logsCollection: collection.logsCollection,
    abandonedWork: budget.abandonedWork,
  };
  key = await lib.createTestApiKey(await lib.getDb());
});

after(async () => {
  await lib.closeMongoClient();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("POST /api/logs while the database is down", () => {
  it("answers 503 with Retry-After, then stores the retried batch exactly once", async () => {
    const batch = makeLogInputs(25);
    const body = JSON.stringify(batch);
    await server.stop("SIGKILL");

    const refused = await call(POST, "POST", "/api/logs", { key, body });
    assert.equal(refused.status, 503);
    assert.equal(refused.body.error.code, "database_unavailable");
    assert.equal(refused.headers.get("retry-after"), "5");

    server = await startEmbeddedDb({ port: server.port, dataDir, stderr: "ignore" });
    const retry = await retryUntilStored(body);
    assert.equal(retry.status, 201);
    assert.equal(retry.body.accepted + retry.body.duplicates, 25);
    assert.equal(await storedCount(batch), 25);
  });

  it("answers 503 within REQUEST_DB_TIMEOUT_MS while the database is frozen, and the retry stores each log once", async () => {
    const batch = makeLogInputs(25);
    const body = JSON.stringify(batch);
    server.process.kill("SIGSTOP");
    try {
      const started = performance.now();
      const refused = await call(POST, "POST", "/api/logs", { key, body });
      const tookMs = performance.now() - started;
      assert.equal(refused.status, 503);
      assert.equal(refused.body.error.code, "database_unavailable");
      assert.match(refused.body.error.message, /did not answer within 1\.5 s/);
      assert.equal(refused.headers.get("retry-after"), "5");
      assert.ok(
        tookMs >= REQUEST_DB_TIMEOUT_MS - 50 && tookMs < REQUEST_DB_TIMEOUT_MS + 1_000,
        `answered after ${Math.round(tookMs)} ms`,
      );
    } finally {
      server.process.kill("SIGCONT");
    }
    // The refused request's work goes on once the server thaws, side by side with the retry.
    const retry = await retryUntilStored(body);
    assert.ok([200, 201].includes(retry.status), `status ${retry.status}`);
    assert.equal(retry.body.accepted + retry.body.duplicates, 25);
    assert.equal(await storedCount(batch), 25);
  });
});

describe("POST /api/logs while timed-out requests still wait on a frozen database", () => {
  it("refuses new requests at once, storing nothing of them, until the database has finished the abandoned work", async () => {
    const abandonedBefore = lib.abandonedWork();
    const batches = Array.from({ length: REQUEST_DB_MAX_ABANDONED + 1 }, () => makeLogInputs(25));
    const bodies = batches.map((batch) => JSON.stringify(batch));
    server.process.kill("SIGSTOP");
    let refusedAtOnce: Awaited<ReturnType<typeof call>>;
    let tookMs: number;
    try {
      const timedOut = await Promise.all(
        bodies.slice(0, REQUEST_DB_MAX_ABANDONED).map((body) => call(POST, "POST", "/api/logs", { key, body })),
      );
      assert.deepEqual(
        timedOut.map((answer) => answer.body.error.message.match(/did not answer within/)?.[0]),
        Array(REQUEST_DB_MAX_ABANDONED).fill("did not answer within"),
      );
      assert.equal(lib.abandonedWork(), abandonedBefore + REQUEST_DB_MAX_ABANDONED);
      const started = performance.now();
      refusedAtOnce = await call(POST, "POST", "/api/logs", { key, body: bodies.at(-1)! });
      tookMs = performance.now() - started;
    } finally {
      server.process.kill("SIGCONT");
    }
    assert.equal(refusedAtOnce.status, 503);
    assert.equal(refusedAtOnce.body.error.code, "database_unavailable");
    assert.match(refusedAtOnce.body.error.message, /not yet finished the work of 3 requests that timed out/);
    assert.equal(refusedAtOnce.headers.get("retry-after"), "5");
    assert.ok(tookMs < 500, `refused after ${Math.round(tookMs)} ms`);

    for (let waited = 0; lib.abandonedWork() > abandonedBefore && waited < 10_000; waited += 100)
      await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(lib.abandonedWork(), abandonedBefore, "the abandoned work ended once the database thawed");
    assert.equal(await storedCount(batches.at(-1)!), 0, "the request refused at once stored nothing");
    for (const [index, body] of bodies.entries()) {
      const retry = await retryUntilStored(body);
      assert.ok([200, 201].includes(retry.status), `status ${retry.status}`);
      assert.equal(await storedCount(batches[index]!), 25);
    }
  });
});

async function retryUntilStored(body: string) {
  let answer = await call(POST, "POST", "/api/logs", { key, body });
  for (let attempt = 0; attempt < 40 && answer.status === 503; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    answer = await call(POST, "POST", "/api/logs", { key, body });
  }
  return answer;
}

async function storedCount(batch: Record<string, unknown>[]): Promise<number> {
  const ids = new Set(batch.map((log) => String(log.log_id)));
  const stored = await lib
    .logsCollection(await lib.getDb())
    .find({ source: { $ne: "ledgerline" } }, { projection: { _id: 1 } })
    .toArray();
  return stored.filter((log) => ids.has(log._id)).length;
}
