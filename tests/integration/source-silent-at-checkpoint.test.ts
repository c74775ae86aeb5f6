// source_silent through real checkpoints over simulated time: a source that
// logged every 5 minutes for a day, then nothing, is one alert once empty
// checkpoints pass the silence; deriving that checkpoint again, later empty
// checkpoints, the source's brief return and a rebuild of the rollups add
// nothing, and the webhook receives the alert once.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { alertsCollection } from "@/lib/derived/alerts/alert-record";
import { AlertListParams } from "@/lib/derived/alerts/list-params";
import { listAlerts } from "@/lib/derived/alerts/list-alerts";
import { getDb } from "@/lib/platform/db/client";
import { deriveCheckpoint } from "@/lib/derived/derivation/derive";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { ingestLogs } from "@/lib/records/logs/ingest";
import type { LogInput } from "@/lib/records/logs/schemas";
import { rebuildRollups } from "@/lib/derived/rollups/rebuild";
import { allPeriodDocs } from "@/lib/derived/rollups/period-docs";
import { setupAppDatabase } from "./support/app-db";
import { startWebhookReceiver } from "./support/webhook-receiver";

const { url: webhookUrl, received } = await startWebhookReceiver<{ alert: { type: string; source?: string } }>();
setupAppDatabase("source_silent_at_checkpoint", { LEDGERLINE_ALERT_WEBHOOK_URL: webhookUrl });

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
// A whole hour 30 hours ago: a day of logs and the silence after it, all in the past.
const T = Math.floor((Date.now() - 30 * HOUR) / HOUR) * HOUR;
const heartbeat = (time: number, source = "auth-1") => ({
  timestamp: new Date(time).toISOString(),
  ip: "10.0.0.5",
  user: "svc.shipper",
  action: "heartbeat",
  status: "success",
  source,
});

let db: Db;
const ingest = (inputs: object[], receivedAt: number) =>
  ingestLogs(db, inputs as LogInput[], {
    keyring: getKeyring(),
    maxFutureSkewMs: 300_000,
    ingestedBy: "cli:test",
    receivedAt: new Date(receivedAt),
  });
const checkpoint = async (at: number) =>
  (await writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 120_000, now: new Date(at) })).checkpoint;
const silentAlerts = () => alertsCollection(db).find({ type: "source_silent" }).sort({ _id: 1 }).toArray();

describe("source_silent at checkpoints", () => {
  before(async () => {
    db = await getDb();
  });

  it("raises one alert when a steady source falls silent, judged by empty checkpoints, and never a second for the same silence", async () => {
    for (let hour = 0; hour < 24; hour++) {
      const start = T + hour * HOUR;
      const batchEnd = start + 55 * MINUTE + 30_000;
      await ingest(
        Array.from({ length: 12 }, (_, i) => heartbeat(start + i * 5 * MINUTE)),
        batchEnd,
      );
      await checkpoint(batchEnd);
    }
    const last = T + 24 * HOUR - 5 * MINUTE;
    for (const minutes of [10, 20, 29]) await checkpoint(last + minutes * MINUTE);
    assert.deepEqual(await silentAlerts(), [], "29 minutes of silence raise nothing");

    const raising = await checkpoint(last + 31 * MINUTE);
    const [alert, ...others] = await silentAlerts();
    assert.ok(alert && others.length === 0, "one alert once the silence passes 30 minutes");
    assert.deepEqual(
      [
        alert.source,
        alert.ip,
        alert.user,
        alert.severity,
        alert.status,
        alert.start.getTime(),
        alert.end.getTime(),
        alert.count,
      ],
      ["auth-1", undefined, undefined, "high", "open", last, last + 31 * MINUTE, 1],
    );
    // The first checkpoint ever counts only its logs of the last 30 minutes: the first half-hour's 3 slots stay empty.
    assert.match(
      alert.explanation,
      /^source "auth-1" sent logs in 141 of the 144 slots of 10 min in the 24 h up to its last log, then nothing for 31 min$/,
    );
    const listed = (await listAlerts(db, AlertListParams.parse({}))).rows.find((item) => item.id === alert._id);
    assert.equal(listed?.source, "auth-1", "/anomalies lists it with its source");

    // Derived again (a writer finishing a crashed derivation): the same alert, announced once.
    await deriveCheckpoint(db, raising, { logs: [], searchable: true });
    assert.deepEqual(await silentAlerts(), [alert]);

    for (const minutes of [45, 120]) await checkpoint(last + minutes * MINUTE);
    // Back for one log, then silent again: not steady since the silence, so no second alert.
    await ingest([heartbeat(last + 121 * MINUTE)], last + 121 * MINUTE + 10_000);
    for (const minutes of [122, 140, 160, 180]) await checkpoint(last + minutes * MINUTE);
    assert.deepEqual(await silentAlerts(), [alert]);

    // The rollups count it once, as a recount of the stored alerts does.
    const alertTallies = async () =>
      (await allPeriodDocs(db)).map((doc) => [doc._id, doc.alerts.filter((tally) => tally.type === "source_silent")]);
    const live = await alertTallies();
    assert.ok(live.some(([, tallies]) => (tallies as { n: number }[]).some((tally) => tally.n === 1)));
    await rebuildRollups(db);
    assert.deepEqual(await alertTallies(), live);

    const deadline = Date.now() + 5_000;
    const delivered = () => received.filter((body) => body.alert.type === "source_silent");
    while (delivered().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(
      delivered().map((body) => body.alert.source),
      ["auth-1"],
    );
  });
});
