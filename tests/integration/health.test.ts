// The health endpoint against a database that is down at start, comes up,
// is killed and comes back, with the same app process (and MongoClient
// holder) throughout.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { embeddedDbUri } from "@/lib/foundation/config";
import { startEmbeddedDb, type EmbeddedDb } from "@/scripts/lib/embedded-db";
import { findFreePort } from "@/scripts/lib/processes";

const dataDir = mkdtempSync(path.join(tmpdir(), "ledgerline-health-"));
let port: number;
let server: EmbeddedDb | undefined;
let GET: typeof import("@/app/api/health/route").GET;
let closeMongoClient: () => Promise<void>;

before(async () => {
  port = await findFreePort();
  // Configuration is read on first use, so this points the app at our own server.
  process.env.MONGODB_URI = embeddedDbUri(port);
  process.env.DB_TIMEOUT_MS = "2000";
  ({ GET } = await import("@/app/api/health/route"));
  ({ closeMongoClient } = await import("@/lib/platform/db/client"));
});

after(async () => {
  await closeMongoClient();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function getHealth(): Promise<Response> {
  return GET(new Request("http://localhost/api/health"), { params: Promise.resolve({}) });
}

async function timedGet() {
  const started = Date.now();
  const response = await getHealth();
  return { response, elapsed: Date.now() - started };
}

async function assertDown() {
  const { response, elapsed } = await timedGet();
  assert.equal(response.status, 503);
  assert.equal(response.headers.get("retry-after"), "5");
  assert.deepEqual(await response.json(), { status: "unavailable", db: "down" });
  assert.ok(elapsed < 3_000, `took ${elapsed} ms`);
}

async function waitForStatus(expected: number, withinMs: number) {
  const deadline = Date.now() + withinMs;
  let status = 0;
  while (Date.now() < deadline) {
    status = (await getHealth()).status;
    if (status === expected) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.equal(status, expected);
}

// SIGSTOP takes effect asynchronously: a ping sent at once can still be
// answered by the server's threads before they all stop (seen in CI as a 200
// in 6 ms). Wait until Linux reports the process stopped ("T").
async function waitUntilStopped(pid: number) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const state = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ").at(-1)?.[0];
    if (state === "T") return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`process ${pid} did not stop`);
}

describe("GET /api/health", () => {
  it("answers 503 with Retry-After within 3 seconds when the database was never up", async () => {
    await assertDown();
  });

  it("answers 200 once the database starts, without restarting the app", async () => {
    server = await startEmbeddedDb({ port, dataDir, stderr: "ignore" });
    await waitForStatus(200, 10_000);
    const response = await getHealth();
    assert.deepEqual(await response.json(), { status: "ok", db: "up" });
  });

  it("answers 503 within 3 seconds once the database is killed", async () => {
    await server!.stop("SIGKILL");
    await assertDown();
  });

  it("recovers to 200 after the database restarts", async () => {
    server = await startEmbeddedDb({ port, dataDir, stderr: "ignore" });
    await waitForStatus(200, 20_000);
  });

  it("answers 503 within 3 seconds while the database hangs, and 200 when it resumes", async () => {
    server!.process.kill("SIGSTOP");
    try {
      await waitUntilStopped(server!.process.pid!);
      await assertDown();
    } finally {
      server!.process.kill("SIGCONT");
    }
    await waitForStatus(200, 20_000);
  });
});
