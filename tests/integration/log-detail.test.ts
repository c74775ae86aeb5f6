// One log's detail: its MAC verdict and the checkpoint that covers it.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { getDb } from "@/lib/platform/db/client";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { publicKeySetFromSigner } from "@/lib/records/integrity/checkpoint-keys";
import { checkpointsCollection } from "@/lib/records/integrity/checkpoints";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { logsCollection } from "@/lib/records/logs/collection";
import { ingestLogs } from "@/lib/records/logs/ingest";
import { getLogDetail } from "@/lib/records/logs/log-detail";
import type { LogInput } from "@/lib/records/logs/schemas";
import { setupAppDatabase } from "./support/app-db";
import { makeLogInputs } from "./support/log-inputs";

setupAppDatabase("log_detail");

let db: Db;
const keys = () => ({ keyring: getKeyring(), publicKeys: publicKeySetFromSigner(getCheckpointSigner()) });
const ingest = (inputs: Record<string, unknown>[]) =>
  ingestLogs(db, inputs as LogInput[], { keyring: getKeyring(), maxFutureSkewMs: 300_000, ingestedBy: "cli:test" });

before(async () => {
  db = await getDb();
});

describe("getLogDetail", () => {
  it("reports a stored log as signed and pending, then covered by the next checkpoint, and an edited one as tampered", async () => {
    const [first, second] = makeLogInputs(2);
    await ingest([first!, second!]);
    const pending = await getLogDetail(db, first!.log_id as string, keys());
    assert.equal(pending?.mac, "valid");
    assert.deepEqual(pending?.checkpoint, { state: "pending" });

    await writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 120_000 });
    const covered = await getLogDetail(db, first!.log_id as string, keys());
    assert.equal(covered?.checkpoint.state, "covered");
    assert.deepEqual(
      covered?.checkpoint.state === "covered" && [covered.checkpoint.number, covered.checkpoint.signature_valid],
      [1, true],
    );

    await logsCollection(db).updateOne(
      { _id: second!.log_id as string },
      { $set: { status: "success", user: "mallory" } },
    );
    assert.equal((await getLogDetail(db, second!.log_id as string, keys()))?.mac, "tampered");

    await checkpointsCollection(db).updateOne({ _id: 1 }, { $set: { log_count: 99 } });
    const forged = await getLogDetail(db, first!.log_id as string, keys());
    assert.equal(forged?.checkpoint.state === "covered" && forged.checkpoint.signature_valid, false);
  });

  it("returns null for an unknown log id", async () => {
    assert.equal(await getLogDetail(db, "no-such-log", keys()), null);
  });
});
