// Alerts derived at each checkpoint from the accepted logs: a burst split
// across two checkpoints is one alert, a success after it is a critical one,
// and each new alert reaches the webhook receiver on loopback.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { alertsCollection, countOpenAlerts } from "@/lib/derived/alerts/alert-record";
import { openAlertCount } from "@/lib/derived/alerts/open-count";
import { rebuildRollups } from "@/lib/derived/rollups/rebuild";
import { allPeriodDocs } from "@/lib/derived/rollups/period-docs";
import { getDb } from "@/lib/platform/db/client";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { ingestLogs } from "@/lib/records/logs/ingest";
import type { LogInput } from "@/lib/records/logs/schemas";
import { compareDetection } from "@/scripts/soak/checks";
import { setupAppDatabase } from "./support/app-db";
import { startWebhookReceiver } from "./support/webhook-receiver";

const { url: webhookUrl, received } = await startWebhookReceiver();
setupAppDatabase("alerts_at_checkpoint", { LEDGERLINE_ALERT_WEBHOOK_URL: webhookUrl });

const ATTACKER = "203.0.113.66";
const start = Date.now() - 30 * 60_000;
const at = (minute: number) => new Date(start + minute * 60_000).toISOString();
const attempt = (minute: number, status: string, user = "victim.user") => ({
  timestamp: at(minute),
  ip: ATTACKER,
  user,
  action: "login_attempt",
  status,
});

let db: Db;
const ingest = (inputs: object[]) =>
  ingestLogs(db, inputs as LogInput[], { keyring: getKeyring(), maxFutureSkewMs: 300_000, ingestedBy: "cli:test" });
const checkpoint = () => writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 120_000 });

describe("alerts at checkpoints", () => {
  before(async () => {
    db = await getDb();
  });

  it("joins a burst split across two checkpoints into one alert, raises success-after-failures, and calls the webhook once per new alert", async () => {
    await ingest([
      attempt(0, "failed"),
      attempt(1, "failed"),
      attempt(2, "failed"),
      { timestamp: at(2), ip: "10.0.0.5", user: "alice", action: "login", status: "success" },
    ]);
    await checkpoint();
    assert.equal(
      await alertsCollection(db).countDocuments({ type: "failure_burst" }),
      0,
      "3 failures are not a burst yet",
    );

    await ingest([attempt(3, "failed"), attempt(4, "failed"), attempt(5, "failed")]);
    await checkpoint();
    const [burst] = await alertsCollection(db).find({ type: "failure_burst" }).toArray();
    assert.ok(burst, "a burst once the fifth failure arrives");
    assert.deepEqual(
      [burst.ip, burst.count, burst.start.toISOString(), burst.end.toISOString(), burst.status],
      [ATTACKER, 6, at(0), at(5), "open"],
    );

    await ingest([attempt(6, "success")]);
    await checkpoint();
    assert.equal(await alertsCollection(db).countDocuments({ type: "failure_burst" }), 1, "still one burst alert");
    const takeover = await alertsCollection(db).findOne({ type: "success_after_failures" });
    assert.equal(takeover?.severity, "critical");
    assert.equal(await alertsCollection(db).countDocuments({ type: "unknown_network", ip: ATTACKER }), 1);

    const types = (await alertsCollection(db).find().toArray()).map((alert) => alert.type).sort();
    assert.equal(await countOpenAlerts(db), types.length);
    assert.deepEqual(
      await openAlertCount(db),
      { count: types.length, complete: true },
      "the rollups count the alerts detection created",
    );
    // What each derivation added (alerts created, and the burst's changes) equals a recount of the stored alerts.
    const alertTallies = async () => (await allPeriodDocs(db)).map((doc) => [doc._id, doc.alerts]);
    const live = await alertTallies();
    await rebuildRollups(db);
    assert.deepEqual(await alertTallies(), live);
    const deadline = Date.now() + 5_000;
    while (received.length < types.length && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const delivered = received.map((body) => (body as { alert: { type: string; id: string } }).alert);
    assert.deepEqual(delivered.map((alert) => alert.type).sort(), types);
    assert.equal(new Set(delivered.map((alert) => alert.id)).size, types.length);
  });

  it("raises success-after-failures at the next checkpoint for a burst whose first failures fell out of the carried window", async () => {
    // W = 10 min, lateness 1 min: the next checkpoint's events may start at minute 21.5, a success then may follow a
    // burst ending one window before (minute 11.5 on), which only the failures of the window before that end show.
    // Here the success at minute 23 follows the burst ending at minute 14 whose first failure is at minute 10.
    const ip = "10.0.9.9";
    const failure = (minute: number) => ({ ...attempt(minute, "failed", "carol"), ip });
    await ingest([
      ...[10, 11, 12, 13, 14].map(failure),
      { timestamp: at(22.5), ip: "10.0.0.5", user: "alice", action: "login", status: "success" },
    ]);
    await checkpoint();
    await ingest([{ ...attempt(23, "success", "carol"), ip }]);
    await checkpoint();
    const takeover = await alertsCollection(db).findOne({ type: "success_after_failures", ip, user: "carol" });
    assert.deepEqual([takeover?.start, takeover?.end], [new Date(at(23)), new Date(at(23))]);
    const detection = await compareDetection(db, { from: new Date(start - 3_600_000), to: new Date() });
    assert.deepEqual(
      { onlyStored: detection.onlyStored, onlyRerun: detection.onlyRerun, counts: detection.counts },
      { onlyStored: [], onlyRerun: [], counts: [] },
    );
  });
});
