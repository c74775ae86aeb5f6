// A derivation that stops between any two of its steps (its writer's lease
// lost, its process killed) is finished by the next writer, and the result
// is what one uninterrupted pass gives: rollups, baselines and the search
// layout equal their rebuild from the logs, and the alerts equal detection
// over the logs, windows and counts included.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { countOpenAlerts } from "@/lib/derived/alerts/alert-record";
import { openAlertCount } from "@/lib/derived/alerts/open-count";
import { getDb } from "@/lib/platform/db/client";
import { LeaseLostError } from "@/lib/platform/db/lease";
import { deriveCheckpoint, isDerived, settledLogs } from "@/lib/derived/derivation/derive";
import { generateLogInputs } from "@/lib/features/generators/logs";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { appendCheckpoint, latestCheckpoint } from "@/lib/records/integrity/checkpoints";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { ingestLogs } from "@/lib/records/logs/ingest";
import type { LogInput } from "@/lib/records/logs/schemas";
import { compareDerivedWithRebuild, compareDetection } from "@/scripts/soak/checks";
import { setupAppDatabase } from "./support/app-db";

setupAppDatabase("derivation_resume");

const HOUR_MS = 3_600_000;
const BATCHES = 12;
const end = new Date();
const start = new Date(end.getTime() - 6 * HOUR_MS);
// Everyday traffic with bursts and spraying, in time order, cut into batches so that windows span checkpoints.
const logs = [...generateLogInputs({ count: 6_000, seed: 20261207, start, end })].sort((a, b) =>
  a.timestamp.localeCompare(b.timestamp),
);
const batches = Array.from({ length: BATCHES }, (_, index) =>
  logs.slice((index * logs.length) / BATCHES, ((index + 1) * logs.length) / BATCHES),
);

let db: Db;
const ingest = (inputs: object[]) =>
  ingestLogs(db, inputs as LogInput[], { keyring: getKeyring(), maxFutureSkewMs: 300_000, ingestedBy: "cli:test" });
const checkpointOptions = () => ({ signer: getCheckpointSigner(), voidAfterMs: 120_000 });

/** Writes the next checkpoint and derives it until the `stopAt`-th writer check, which throws as a lost lease does. */
async function appendAndStopDeriving(stopAt: number): Promise<{ number: number; checks: number }> {
  const appended = await appendCheckpoint(db, await latestCheckpoint(db), checkpointOptions());
  assert.ok(appended.written);
  let checks = 0;
  const assertWriter = () => {
    if (++checks === stopAt) throw new LeaseLostError("lease lost (test)");
  };
  await deriveCheckpoint(db, appended.checkpoint, settledLogs(appended.settlements), assertWriter).catch(
    (error: unknown) => {
      if (!(error instanceof LeaseLostError)) throw error;
    },
  );
  return { number: appended.checkpoint.number, checks };
}

describe("a derivation stopped midway", () => {
  before(async () => {
    db = await getDb();
  });

  it("is finished by the next writer, and everything derived equals the rebuild and detection over the logs", async () => {
    let stopAt = 1;
    let completed = 0;
    for (const [index, batch] of batches.entries()) {
      await ingest(batch);
      if (index % 2 === 1) {
        await writeCheckpoint(db, checkpointOptions());
        continue;
      }
      const stopped = await appendAndStopDeriving(stopAt);
      const wasStopped = stopped.checks === stopAt;
      assert.equal(await isDerived(db, stopped.number), !wasStopped);
      if (wasStopped) stopAt += 1;
      else completed += 1;
    }
    await writeCheckpoint(db, checkpointOptions());
    assert.ok(completed > 0, `stopped before each of the ${stopAt - 1} steps once, then ran through`);

    const derived = await compareDerivedWithRebuild(db);
    assert.deepEqual(derived, { rollups: [], baselines: [], search: [] });
    const detection = await compareDetection(db, {
      from: new Date(start.getTime() - HOUR_MS),
      to: new Date(end.getTime() + HOUR_MS),
    });
    assert.ok(detection.stored > 10, `alerts were raised (${detection.stored})`);
    assert.deepEqual(
      { onlyStored: detection.onlyStored, onlyRerun: detection.onlyRerun, counts: detection.counts },
      { onlyStored: [], onlyRerun: [], counts: [] },
    );
    assert.equal(detection.stored, detection.rerun);
    assert.deepEqual(await openAlertCount(db), { count: await countOpenAlerts(db), complete: true });
  });
});
