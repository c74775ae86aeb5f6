// On-demand detection's baseline read from the checkpoints' per-day tallies
// and the search layout equals one counted from the logs collection: whole
// days from their documents (a tampered document shows it is read), the
// partial days at both ends and the logs not derived yet from the layout and
// its tail, and a day whose document is of another zone or newer than the
// snapshot from the layout; the findings equal those of the fallback path.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { baselinesCollection } from "@/lib/derived/alerts/baseline-store";
import { detectionReads, findAnomaliesWithStats } from "@/lib/derived/alerts/find-anomalies";
import { readPeriodBaseline } from "@/lib/derived/alerts/period-baseline";
import { createBaselineBuilder } from "@/lib/records/anomaly/baseline";
import { baselineDayId } from "@/lib/records/anomaly/baseline-days";
import { parseDetectionConfig } from "@/lib/foundation/detection-config";
import { detectableLogOf } from "@/lib/records/anomaly/finding";
import { getDb } from "@/lib/platform/db/client";
import { ensureIndexes } from "@/lib/platform/db/indexes";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { logsCollection } from "@/lib/records/logs/collection";
import { ingestLogs } from "@/lib/records/logs/ingest";
import type { LogInput } from "@/lib/records/logs/schemas";
import { searchState, STATE_ID } from "@/lib/derived/search/layout";
import { setupAppDatabase } from "./support/app-db";

setupAppDatabase("period_baseline");

const DAY = 86_400_000;
const HOUR = 3_600_000;
const BASE = Date.UTC(2026, 4, 10);
const USERS = ["ana", "bob", "carol", "dave"];
// The analysed range starts mid-day: its 3-day baseline has two whole days and a part of two others.
const RANGE = { from: new Date(BASE + 4 * DAY + 5 * HOUR), to: new Date(BASE + 5 * DAY) };
const config = parseDetectionConfig({ baselineDays: 3, minHistoryEvents: 3, minHistoryDays: 1 });

let db: Db;
let counter = 0;
let state = 11;
const rand = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;

function makeInput(time: number): LogInput {
  counter++;
  const user = USERS[Math.floor(rand() * USERS.length)]!;
  // Each user mostly keeps an address and working hours; now and then another.
  const ip = rand() < 0.9 ? `10.0.${USERS.indexOf(user)}.7` : `203.0.113.${Math.floor(rand() * 50)}`;
  return {
    log_id: `pb-${counter}`,
    timestamp: new Date(time).toISOString(),
    ip,
    user,
    action: "login",
    status: rand() < 0.2 ? "failed" : "success",
  };
}

async function ingestDay(day: number, count: number, checkpointEvery: number): Promise<void> {
  const times = Array.from({ length: count }, () => BASE + day * DAY + Math.floor(rand() * DAY)).sort((a, b) => a - b);
  for (let start = 0; start < times.length; start += checkpointEvery) {
    await ingestLogs(db, times.slice(start, start + checkpointEvery).map(makeInput), {
      keyring: getKeyring(),
      maxFutureSkewMs: 300_000,
      ingestedBy: "cli:test",
    });
    await writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 120_000 });
  }
}

/** The baseline counted from every stored log of the period. */
async function countedBaseline() {
  const { baseline: period } = detectionReads(RANGE, config);
  const builder = createBaselineBuilder(config);
  let logs = 0;
  for await (const log of logsCollection(db).find({
    time: { $gte: period.from, $lte: period.to },
    status: "success",
  })) {
    builder.push(detectableLogOf(log));
    logs++;
  }
  return { baseline: builder.build(), logs };
}

async function periodBaseline() {
  const read = await readPeriodBaseline(db, detectionReads(RANGE, config).baseline, config);
  assert.ok(read, "the layout is whole");
  return read;
}

describe("on-demand detection's baseline from the per-day tallies", () => {
  before(async () => {
    db = await getDb();
    await ensureIndexes(db);
    for (let day = 0; day <= 4; day++) await ingestDay(day, 120, 50);
    // Not derived yet: the fresh tail, on a whole day and on the last partial day.
    await ingestLogs(db, [BASE + 2 * DAY + 3 * HOUR, BASE + 4 * DAY + HOUR, BASE + 4 * DAY + 2 * HOUR].map(makeInput), {
      keyring: getKeyring(),
      maxFutureSkewMs: 300_000,
      ingestedBy: "cli:test",
    });
  });

  it("equals the baseline counted from the logs", async () => {
    const expected = await countedBaseline();
    assert.ok(expected.logs > 200 && expected.baseline.users.size === USERS.length, `${expected.logs} logs`);
    assert.deepEqual(await periodBaseline(), expected);
  });

  it("reads each whole day from its document", async () => {
    const id = baselineDayId(new Date(BASE + 2 * DAY).toISOString().slice(0, 10));
    const doc = (await baselinesCollection(db).findOne({ _id: id }))!;
    const users = JSON.parse(doc.users) as { user: string }[];
    await baselinesCollection(db).updateOne(
      { _id: id },
      {
        $set: {
          users: JSON.stringify([
            ...users,
            { user: "only-in-the-document", events: 5, hours: [5], days: [1], ips: ["10.9.9.9"], ips_full: false },
          ]),
        },
      },
    );
    try {
      const read = await periodBaseline();
      assert.equal(read.baseline.users.get("only-in-the-document")?.events, 5);
    } finally {
      await baselinesCollection(db).updateOne({ _id: id }, { $set: { users: doc.users } });
    }
  });

  it("reads a day from the layout when its document is of another zone or newer than the snapshot", async () => {
    const expected = await countedBaseline();
    const zoned = baselineDayId(new Date(BASE + 2 * DAY).toISOString().slice(0, 10));
    const newer = baselineDayId(new Date(BASE + 3 * DAY).toISOString().slice(0, 10));
    const [zonedDoc, newerDoc] = await Promise.all(
      [zoned, newer].map((id) => baselinesCollection(db).findOne({ _id: id })),
    );
    await baselinesCollection(db).updateOne({ _id: zoned }, { $set: { time_zone: "Europe/Paris" } });
    await baselinesCollection(db).updateOne({ _id: newer }, { $set: { through: 1_000_000 } });
    try {
      assert.deepEqual(await periodBaseline(), expected);
    } finally {
      await baselinesCollection(db).replaceOne({ _id: zoned }, zonedDoc!);
      await baselinesCollection(db).replaceOne({ _id: newer }, newerDoc!);
    }
  });

  it("gives the findings of the logs collection's path", async () => {
    const fromDays = await findAnomaliesWithStats(db, RANGE, config);
    await searchState(db).updateOne({ _id: STATE_ID }, { $set: { gap_at: 1 } });
    try {
      const fromLogs = await findAnomaliesWithStats(db, RANGE, config);
      assert.ok(
        fromLogs.findings.some((finding) => finding.type === "new_ip_for_user"),
        JSON.stringify(fromLogs.findings.map((finding) => finding.type)),
      );
      assert.deepEqual(fromDays, fromLogs);
    } finally {
      await searchState(db).updateOne({ _id: STATE_ID }, { $unset: { gap_at: "" } });
    }
  });
});
