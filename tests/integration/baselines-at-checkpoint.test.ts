// The per-user baseline rules at checkpoints: a user's history, ingested over
// several days with a checkpoint after each, is stored per day; a success
// from a new address and one at a rare hour then become exactly those two
// alerts at the next checkpoint. Deriving that checkpoint again changes
// nothing, and a rebuild from the logs gives the live documents.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { alertsCollection } from "@/lib/derived/alerts/alert-record";
import { rebuildBaselines } from "@/lib/derived/alerts/baseline-rebuild";
import { baselinesCollection, recordCheckpointHistory } from "@/lib/derived/alerts/baseline-store";
import { addToDay, baselineDayId, storedTallies, tallyByDay } from "@/lib/records/anomaly/baseline-days";
import { getConfig } from "@/lib/foundation/config";
import { getDb } from "@/lib/platform/db/client";
import { deriveCheckpoint } from "@/lib/derived/derivation/derive";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { logsCollection } from "@/lib/records/logs/collection";
import { ingestLogs } from "@/lib/records/logs/ingest";
import type { LogInput } from "@/lib/records/logs/schemas";
import { summariesOf, summaryColumns } from "@/lib/records/logs/summaries";
import { setupAppDatabase } from "./support/app-db";

setupAppDatabase("baselines_at_checkpoint");

const DAY = 86_400_000;
// Six UTC days ago at midnight: history on days 0-3, the anomalies on day 4, all in the past.
const BASE = Math.floor(Date.now() / DAY) * DAY - 6 * DAY;
const at = (day: number, hour: number, minute = 0) =>
  new Date(BASE + day * DAY + hour * 3_600_000 + minute * 60_000).toISOString();
const success = (timestamp: string, ip = "10.0.1.5", user = "habit.user") => ({
  timestamp,
  ip,
  user,
  action: "login",
  status: "success",
});

let db: Db;
const ingest = (inputs: object[]) =>
  ingestLogs(db, inputs as LogInput[], { keyring: getKeyring(), maxFutureSkewMs: 300_000, ingestedBy: "cli:test" });
const checkpoint = async () =>
  (await writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 120_000 })).checkpoint;
const everything = async () => ({
  alerts: await alertsCollection(db).find().sort({ _id: 1 }).toArray(),
  baselines: await baselinesCollection(db).find().sort({ _id: 1 }).toArray(),
});

describe("baseline rules at checkpoints", () => {
  before(async () => {
    db = await getDb();
  });

  it("raises new_ip_for_user and rare_hour_for_user from the stored history, once, and rebuilds the same history", async () => {
    // 8 logins a day between 09:00 and 16:30 UTC on 4 days: 32 events, more than the 20 on 3 dates needed.
    for (let day = 0; day < 4; day++) {
      await ingest(Array.from({ length: 8 }, (_, i) => success(at(day, 9 + i, 30))));
      await checkpoint();
    }
    const days = await baselinesCollection(db).find().sort({ _id: 1 }).toArray();
    assert.deepEqual(
      days.map((doc) => [doc.day, storedTallies(doc.users).find((u) => u.user === "habit.user")?.events]),
      [0, 1, 2, 3].map((day) => [at(day, 0).slice(0, 10), 8]),
    );
    assert.equal(
      await alertsCollection(db).countDocuments({ type: { $in: ["new_ip_for_user", "rare_hour_for_user"] } }),
      0,
      "a growing history raises nothing",
    );

    await ingest([success(at(4, 10), "10.0.7.7"), success(at(4, 20, 15)), success(at(4, 11))]);
    const last = await checkpoint();
    const alerts = await alertsCollection(db).find({ user: "habit.user" }).toArray();
    assert.deepEqual(
      alerts.map((alert) => [alert.type, alert.ip ?? null, alert.start.toISOString(), alert.count]).sort(),
      [
        ["new_ip_for_user", "10.0.7.7", at(4, 10), 1],
        ["rare_hour_for_user", null, at(4, 20, 15), 1],
      ],
    );

    // Derived again (a writer that stopped before marking it derived): the same alerts, the same documents.
    const stored = await everything();
    const logs = await logsCollection(db)
      .find({ sequence: { $gte: last.start_sequence, $lt: last.end_sequence } })
      .toArray();
    await deriveCheckpoint(db, last, { logs: summariesOf(summaryColumns(logs)), searchable: true });
    assert.deepEqual(await everything(), stored);

    assert.deepEqual(await rebuildBaselines(db, getConfig().anomaly), { checkpoints: 5, logs: 35, documents: 5 });
    assert.deepEqual((await everything()).baselines, stored.baselines);
  });

  it("two writers adding the same checkpoint at once, to a stored day and a new one, write what one writer would", async () => {
    const config = getConfig().anomaly;
    const logs = [0, 5].map((day, i) => ({
      log_id: `race-${i}`,
      time: new Date(at(day, 12)),
      ip: "10.0.3.3",
      user: "racer",
      action: "login",
      status: "success" as const,
    }));
    const stored = await baselinesCollection(db).findOne({ _id: baselineDayId(at(0, 0).slice(0, 10)) });
    assert.ok(stored && stored.through < 100);
    await Promise.all([recordCheckpointHistory(db, 100, logs, config), recordCheckpointHistory(db, 100, logs, config)]);
    const expected = [...tallyByDay(logs, config)].map(([day, added]) =>
      addToDay(day === stored.day ? stored : null, day, 100, added, config.timeZone),
    );
    assert.deepEqual(await baselinesCollection(db).find({ through: 100 }).sort({ _id: 1 }).toArray(), expected);
  });
});
