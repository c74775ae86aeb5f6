// Ingestion while the database's disk is full: the embedded database's folder
// is a small tmpfs, and a filler file leaves it a few megabytes. Batches posted
// over HTTP fill it; every request is then refused with 503 storage_full and
// Retry-After (never a 500, never a 2xx for logs that were not stored), health
// says so, and the checkpoint timer's failing rounds leave the instance
// answering. Deleting the filler frees space: the same instance and database
// take the refused batches, every log is stored exactly once, and the
// checkpoints that follow verify.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, statfsSync, unlinkSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { getDb } from "@/lib/platform/db/client";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { publicKeySetFromSigner } from "@/lib/records/integrity/checkpoint-keys";
import { verifyStoredLogs } from "@/lib/records/integrity/verify";
import { logsCollection } from "@/lib/records/logs/collection";
import { startAppStack, type AppStack } from "@/scripts/lib/app-stack";
import { makeLogInputs } from "../integration/support/log-inputs";

const TMPFS_SIZE = "64m";
// What the filler leaves free: about 10,000 logs with everything stored beside them, filled within seconds.
const FREE_BYTES = 6 * 1024 * 1024;
const BATCH = 100;
const SENDERS = 4;
const FILL_WITHIN_MS = 60_000;
// Refusals seen after the first before the senders stop: the disk stays full.
const REFUSALS_WHILE_FULL = 12;
const RESUME_WITHIN_MS = 30_000;
const CHECKPOINTED_WITHIN_MS = 60_000;

type Batch = Record<string, unknown>[];
type Answer = { status: number; code?: string; retryAfter: string | null; accepted?: number; duplicates?: number };

let mountDir: string;
let mounted = false;
let stack: AppStack;
let key: string;
let fillerPath: string;
const acknowledged = new Set<string>();
const refused: Batch[] = [];
const unexpected: string[] = [];
const figures: Record<string, number> = {};
const refusals: Record<string, number> = {};

before(async () => {
  mountDir = mkdtempSync(path.join(tmpdir(), "ledgerline-full-disk-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${TMPFS_SIZE}`, "tmpfs", mountDir], { stdio: "pipe" });
  } catch (error) {
    const reason = (error as { stderr?: Buffer }).stderr?.toString().trim() || String(error);
    assert.fail(`this test mounts a small tmpfs for the database and needs root (mount -t tmpfs): ${reason}`);
  }
  mounted = true;
  stack = await startAppStack({
    instances: 1,
    dataDir: mountDir,
    // Checkpoints every second, so their rounds run while the disk is full; a block
    // left unsettled by a refused batch is settled from what was stored after 10 s.
    env: {
      INGEST_RATE_LIMIT_PER_MINUTE: "1000000",
      CHECKPOINT_INTERVAL_SECONDS: "1",
      CHECKPOINT_VOID_AFTER_SECONDS: "10",
    },
  });
  key = await stack.createApiKey(["ingest", "read"]);
  fillerPath = path.join(mountDir, "filler");
  fillLeaving(fillerPath, FREE_BYTES);
});

after(async () => {
  await stack?.stop();
  if (mounted) execFileSync("umount", [mountDir]);
  rmSync(mountDir, { recursive: true, force: true });
});

/** Writes a file that leaves `free` bytes of the file system free. */
function fillLeaving(file: string, free: number): void {
  const { bavail, bsize } = statfsSync(path.dirname(file));
  const size = bavail * bsize - free;
  const chunk = Buffer.alloc(1024 * 1024, 1);
  const fd = openSync(file, "w");
  try {
    for (let written = 0; written < size;) written += writeSync(fd, chunk, 0, Math.min(chunk.length, size - written));
  } finally {
    closeSync(fd);
  }
}

async function post(batch: Batch): Promise<Answer> {
  const response = await fetch(`${stack.apps[0]!.url}/api/logs`, {
    method: "POST",
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: JSON.stringify(batch),
  });
  const body = (await response.json()) as { accepted?: number; duplicates?: number; error?: { code: string } };
  return {
    status: response.status,
    code: body.error?.code,
    retryAfter: response.headers.get("retry-after"),
    accepted: body.accepted,
    duplicates: body.duplicates,
  };
}

const idsOf = (batch: Batch) => batch.map((log) => log.log_id as string);

/** Whether the answer is a refusal the client should retry: 503 with Retry-After. */
function isRetryable(answer: Answer): boolean {
  return answer.status === 503 && answer.retryAfter !== null;
}

function assertInstanceAlive(): void {
  assert.doesNotThrow(() => process.kill(stack.apps[0]!.pid, 0), "the app instance exited");
  assert.equal(stack.db.process.exitCode, null, "the embedded database exited");
}

async function health(): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${stack.apps[0]!.url}/api/health`);
  return { status: response.status, body: await response.json() };
}

describe("ingestion when the database's disk is full", () => {
  it("answers 503 storage_full with Retry-After once the disk fills, never a 500 or a 2xx for logs not stored", async () => {
    const started = Date.now();
    let firstFullAt: number | undefined;
    let refusalsSinceFull = 0;
    const send = async () => {
      while (refusalsSinceFull < REFUSALS_WHILE_FULL && Date.now() - started < FILL_WITHIN_MS) {
        const batch = makeLogInputs(BATCH);
        const answer = await post(batch);
        if (answer.status === 201 || answer.status === 200) {
          assert.equal((answer.accepted ?? 0) + (answer.duplicates ?? 0), BATCH);
          for (const id of idsOf(batch)) acknowledged.add(id);
        } else if (isRetryable(answer)) {
          refused.push(batch);
          refusals[answer.code ?? ""] = (refusals[answer.code ?? ""] ?? 0) + 1;
          if (answer.code === "storage_full") {
            assert.equal(answer.retryAfter, "30");
            firstFullAt ??= Date.now();
            refusalsSinceFull++;
          }
        } else {
          unexpected.push(`${answer.status} ${answer.code ?? ""}`);
          refusalsSinceFull = REFUSALS_WHILE_FULL;
        }
      }
    };
    await Promise.all(Array.from({ length: SENDERS }, send));
    assert.deepEqual(unexpected, [], "answers other than 2xx and 503 with Retry-After");
    assert.ok(
      firstFullAt !== undefined,
      `no 503 storage_full within ${FILL_WITHIN_MS / 1000} s (${acknowledged.size} logs acknowledged)`,
    );
    figures.acknowledgedBeforeFull = acknowledged.size;
    figures.secondsToFirst503 = (firstFullAt - started) / 1000;
    assertInstanceAlive();
  });

  it("reports the full disk on GET /api/health and keeps answering through failing checkpoint rounds", async () => {
    // Three checkpoint rounds (one a second) fail meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const batch = makeLogInputs(BATCH);
    const answer = await post(batch);
    assert.equal(answer.status, 503, "a batch sent while the disk is full");
    assert.equal(answer.code, "storage_full");
    refused.push(batch);
    assert.deepEqual(await health(), { status: 200, body: { status: "degraded", db: "up", storage: "full" } });
    const read = await fetch(`${stack.apps[0]!.url}/api/logs?limit=5`, { headers: { Authorization: `Bearer ${key}` } });
    assert.equal(read.status, 200, "a read while the disk is full");
    assert.equal(((await read.json()) as { items: unknown[] }).items.length, 5);
    assertInstanceAlive();
  });

  it("stores the refused batches once space is freed, without restarting anything, each log exactly once", async () => {
    unlinkSync(fillerPath);
    const freedAt = Date.now();
    let firstStoredAt: number | undefined;
    for (const batch of refused) {
      let answer = await post(batch);
      while (isRetryable(answer) && Date.now() - freedAt < RESUME_WITHIN_MS) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        answer = await post(batch);
      }
      assert.ok(
        answer.status === 201 || answer.status === 200,
        `a refused batch answered ${answer.status} ${answer.code ?? ""} after space was freed`,
      );
      // Part of a batch refused midway may already be stored: those count as duplicates.
      assert.equal((answer.accepted ?? 0) + (answer.duplicates ?? 0), BATCH);
      firstStoredAt ??= Date.now();
      figures.duplicatesOnRetry = (figures.duplicatesOnRetry ?? 0) + (answer.duplicates ?? 0);
      for (const id of idsOf(batch)) acknowledged.add(id);
    }
    figures.secondsToResume = (firstStoredAt! - freedAt) / 1000;
    const fresh = makeLogInputs(BATCH);
    assert.equal((await post(fresh)).status, 201);
    for (const id of idsOf(fresh)) acknowledged.add(id);

    const stored = await logsCollection(await getDb())
      .find({ source: { $ne: "ledgerline" } }, { projection: { _id: 1 } })
      .toArray();
    const storedIds = new Set(stored.map((log) => log._id));
    assert.equal(stored.length, storedIds.size);
    assert.deepEqual(
      [...acknowledged].filter((id) => !storedIds.has(id)),
      [],
      "acknowledged logs missing",
    );
    assert.equal(stored.length, acknowledged.size, "logs stored that no answer acknowledged");
    assert.deepEqual(await health(), { status: 200, body: { status: "ok", db: "up" } });
    assertInstanceAlive();
  });

  it("covers every log with checkpoints again, and verification finds no problem", async () => {
    const keys = { publicKeys: publicKeySetFromSigner(getCheckpointSigner()), keyring: getKeyring() };
    const started = Date.now();
    const deadline = started + CHECKPOINTED_WITHIN_MS;
    let report = await verifyStoredLogs(await getDb(), keys);
    while (report.pending > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      report = await verifyStoredLogs(await getDb(), keys);
    }
    assert.equal(report.pending, 0, "logs not covered by a checkpoint");
    figures.secondsToCheckpointed = (Date.now() - started) / 1000;
    assert.deepEqual(report.problems, []);
    assert.ok(report.ok);
    console.log(`disk full figures: ${JSON.stringify({ ...figures, refusals, storedLogs: acknowledged.size })}`);
  });
});
