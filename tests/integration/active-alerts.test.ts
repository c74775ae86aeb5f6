// Alerts detection still extends are carried in its state, not rewritten at
// every checkpoint: their documents catch up once, when they settle; every
// read shows them as they stand; late logs reaching back past the active
// set still extend the settled alert they belong to.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { alertsCollection } from "@/lib/derived/alerts/alert-record";
import { AlertListParams } from "@/lib/derived/alerts/list-params";
import { listAlerts } from "@/lib/derived/alerts/list-alerts";
import { getDb } from "@/lib/platform/db/client";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { ingestLogs } from "@/lib/records/logs/ingest";
import type { LogInput } from "@/lib/records/logs/schemas";
import { rebuildRollups } from "@/lib/derived/rollups/rebuild";
import { allPeriodDocs } from "@/lib/derived/rollups/period-docs";
import { setupAppDatabase } from "./support/app-db";

setupAppDatabase("active_alerts");

const ATTACKER = "203.0.113.77";
const start = Date.now() - 3 * 60 * 60_000;
const at = (minute: number) => new Date(start + minute * 60_000).toISOString();
const failure = (minute: number) => ({
  timestamp: at(minute),
  ip: ATTACKER,
  user: "victim.user",
  action: "login_attempt",
  status: "failed",
});

let db: Db;
const ingest = (inputs: object[]) =>
  ingestLogs(db, inputs as LogInput[], { keyring: getKeyring(), maxFutureSkewMs: 300_000, ingestedBy: "cli:test" });
const checkpoint = () => writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 120_000 });
const listBursts = async (filters: object = {}) =>
  (await listAlerts(db, AlertListParams.parse({ status: "all", type: "failure_burst", ...filters }))).rows;
const burstAsListed = async () =>
  (await listBursts()).map(({ count, end }) => ({ count, end: new Date(end).toISOString() }));
const burstAsStored = async () =>
  (await alertsCollection(db).find({ type: "failure_burst" }).toArray()).map(({ count, end }) => ({
    count,
    end: end.toISOString(),
  }));
const tallies = async () => (await allPeriodDocs(db)).map((doc) => [doc._id, doc.alerts]);

describe("alerts detection still extends", () => {
  before(async () => {
    db = await getDb();
  });

  it("are stored when they settle, read as they stand, and extended by late logs after they settled", async () => {
    await ingest([0, 1, 2, 3, 4].map(failure));
    await checkpoint();
    assert.deepEqual(await burstAsStored(), [{ count: 5, end: at(4) }]);

    await ingest([failure(5), failure(6)]);
    await checkpoint();
    assert.deepEqual(await burstAsListed(), [{ count: 7, end: at(6) }], "reads show the alert as it stands");
    assert.deepEqual(await burstAsStored(), [{ count: 5, end: at(4) }], "its document waits until it settles");
    assert.deepEqual((await listBursts({ from: at(6) })).length, 1, "a range only its live end reaches finds it");
    const live = await tallies();
    await rebuildRollups(db);
    assert.deepEqual(await tallies(), live, "the rollups count it as it stands");

    // Two hours later the burst can no longer grow: it settles.
    await ingest([{ timestamp: at(120), ip: "10.0.0.7", user: "later.user", action: "logout", status: "success" }]);
    await checkpoint();
    assert.deepEqual(await burstAsStored(), [{ count: 7, end: at(6) }]);
    assert.deepEqual(await burstAsListed(), [{ count: 7, end: at(6) }]);

    // Failures of minutes 7 to 11 arriving now (a backfill) belong to the settled burst.
    await ingest([7, 8, 9, 10, 11].map(failure));
    await checkpoint();
    assert.deepEqual(await burstAsListed(), [{ count: 12, end: at(11) }]);
    assert.deepEqual(await burstAsStored(), [{ count: 12, end: at(11) }]);
    assert.equal(await alertsCollection(db).countDocuments({ type: "failure_burst" }), 1);
    const afterLateLog = await tallies();
    await rebuildRollups(db);
    assert.deepEqual(await tallies(), afterLateLog);
  });
});
