// Ingestion while the database is away: 503 with Retry-After, nothing
// acknowledged that is not stored, and the client's retry completes the batch.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { embeddedDbUri } from "@/lib/config";
import { startEmbeddedDb, type EmbeddedDb } from "@/scripts/lib/embedded-db";
import { findFreePort } from "@/scripts/lib/processes";
import { call } from "./support/http";
import { makeLogInputs } from "./support/log-inputs";

const dataDir = mkdtempSync(path.join(tmpdir(), "ledgerline-outage-"));
let server: EmbeddedDb;
let POST: typeof import("@/app/api/logs/route").POST;
let lib: {
  getDb: typeof import("@/lib/db/client").getDb;
  closeMongoClient: typeof import("@/lib/db/client").closeMongoClient;
  createTestApiKey: typeof import("./support/app-db").createTestApiKey;
  logsCollection: typeof import("@/lib/logs/collection").logsCollection;
};
let key: string;

before(async () => {
  const port = await findFreePort();
  server = await startEmbeddedDb({ port, dataDir, stderr: "ignore" });
  process.env.MONGODB_URI = embeddedDbUri(port);
  process.env.DB_TIMEOUT_MS = "1000";
  ({ POST } = await import("@/app/api/logs/route"));
  const [client, support, collection] = await Promise.all([
    import("@/lib/db/client"),
    import("./support/app-db"),
    import("@/lib/logs/collection"),
  ]);
  lib = { ...client, createTestApiKey: support.createTestApiKey, logsCollection: collection.logsCollection };
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
    let retry = refused;
    for (let attempt = 0; attempt < 40 && retry.status === 503; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      retry = await call(POST, "POST", "/api/logs", { key, body });
    }
    assert.equal(retry.status, 201);
    assert.equal(retry.body.accepted + retry.body.duplicates, 25);
    const stored = await lib.logsCollection(await lib.getDb()).countDocuments({ source: { $ne: "ledgerline" } });
    assert.equal(stored, 25);
  });
});
