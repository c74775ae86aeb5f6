// Rollups written by each checkpoint agree exactly with counts over the raw
// logs, after concurrent ingestion, and a rebuild from the logs gives the same.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Db } from "mongodb";
import { ensureIndexes } from "@/lib/platform/db/indexes";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { logsCollection } from "@/lib/records/logs/collection";
import { ingestLogs } from "@/lib/records/logs/ingest";
import type { StoredLog } from "@/lib/records/logs/record";
import type { LogInput } from "@/lib/records/logs/schemas";
import { readFreshTail } from "@/lib/derived/derivation/fresh-tail";
import { rollupReadings } from "@/lib/features/dashboard/rollup-source";
import { periodId, periodsOfQuarter, quarterOf, QUARTER_MS } from "@/lib/derived/rollups/periods";
import { readWindow } from "@/lib/derived/rollups/read";
import { rebuildRollups } from "@/lib/derived/rollups/rebuild";
import { allPeriodDocs } from "@/lib/derived/rollups/period-docs";
import { makeLogInput } from "./support/log-inputs";
import { setupTestDatabase } from "./support/test-db";

const test = setupTestDatabase("rollups");

const BASE = Date.UTC(2026, 3, 1, 9, 0, 0);
const RANGE = { from: new Date(BASE - QUARTER_MS), to: new Date(BASE + 8 * QUARTER_MS) };

function writerLogs(writer: number, count: number): LogInput[] {
  return Array.from({ length: count }, (_, index) => {
    const n = writer * 1000 + index;
    return makeLogInput({
      timestamp: new Date(BASE + ((n * 7919) % (6 * QUARTER_MS))).toISOString(),
      ip: `10.0.${n % 3}.${n % 7}`,
      user: `user-${n % 5}`,
      action: ["login", "logout", "file_access"][n % 3],
      status: n % 4 === 0 ? "failed" : "success",
    }) as LogInput;
  });
}

const ingest = (db: Db, inputs: LogInput[]) =>
  ingestLogs(db, inputs, { keyring: getKeyring(), maxFutureSkewMs: 300_000, ingestedBy: "cli:test" });
const checkpoint = (db: Db) => writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 120_000 });

type Sums = {
  total: number;
  failed: number;
  quarters: Record<string, [number, number]>;
  ips: Record<string, [number, number]>;
  users: Record<string, [number, number]>;
  actions: Record<string, [number, number]>;
};

/** Every day, hour and quarter document's counts, from the raw logs. */
function fromRawLogs(logs: StoredLog[]): Record<string, Sums> {
  const periods: Record<string, Sums> = {};
  const bump = (record: Record<string, [number, number]>, key: string, failed: number) => {
    const sum = (record[key] ??= [0, 0]);
    sum[0]++;
    sum[1] += failed;
  };
  for (const log of logs) {
    const failed = log.status === "failed" ? 1 : 0;
    const quarter = quarterOf(log.time);
    for (const period of periodsOfQuarter(quarter.getTime())) {
      const sums = (periods[periodId(period)] ??= {
        total: 0,
        failed: 0,
        quarters: {},
        ips: {},
        users: {},
        actions: {},
      });
      sums.total++;
      sums.failed += failed;
      bump(sums.quarters, quarter.toISOString(), failed);
      if (log.ip !== undefined) bump(sums.ips, log.ip, failed);
      bump(sums.users, log.user, failed);
      bump(sums.actions, log.action, failed);
    }
  }
  return periods;
}

/** The same, from the stored period documents. */
async function fromRollups(db: Db): Promise<Record<string, Sums>> {
  const periods: Record<string, Sums> = {};
  const entries = (list: { v: string; t: number; f: number }[]) =>
    Object.fromEntries(list.map((entry) => [entry.v, [entry.t, entry.f] as [number, number]]));
  for (const doc of (await allPeriodDocs(db)).filter((doc) => doc.level !== "all")) {
    periods[doc._id] = {
      total: doc.total,
      failed: doc.failed,
      quarters: Object.fromEntries(
        doc.quarters.map((quarter) => [
          quarter.start.toISOString(),
          [quarter.total, quarter.failed] as [number, number],
        ]),
      ),
      ips: entries(doc.ips),
      users: entries(doc.users),
      actions: entries(doc.actions),
    };
  }
  return periods;
}

async function windowTotal(db: Db): Promise<number> {
  const readings = rollupReadings(
    await readFreshTail(db),
    await readWindow(db, RANGE.from, RANGE.to),
    await readWindow(db, RANGE.from, RANGE.from),
  );
  return readings.slots.reduce((sum, slot) => sum + slot.total, 0);
}

describe("rollups", () => {
  it("agree exactly with the raw logs after 8 concurrent writers, duplicates and two checkpoints, and after a rebuild", async () => {
    const db = test.db;
    await ensureIndexes(db);
    const shared = writerLogs(99, 20);
    await Promise.all(Array.from({ length: 8 }, (_, writer) => ingest(db, [...writerLogs(writer, 40), ...shared])));
    await checkpoint(db);
    const second = await Promise.all(Array.from({ length: 4 }, (_, writer) => ingest(db, writerLogs(writer + 10, 25))));
    assert.deepEqual(
      second.map((result) => [result.accepted, result.duplicates]),
      Array(4).fill([25, 0]),
    );
    await checkpoint(db);

    const logs = await logsCollection(db).find().toArray();
    assert.equal(logs.length, 8 * 40 + 20 + 4 * 25);
    const expected = fromRawLogs(logs);
    assert.deepEqual(await fromRollups(db), expected);

    assert.ok(
      Object.keys(expected).some((id) => id.startsWith("d:")) &&
        Object.keys(expected).some((id) => id.startsWith("h:")),
    );
    const live = (await allPeriodDocs(db)).length;
    const rebuilt = await rebuildRollups(db);
    assert.deepEqual([rebuilt.logs, rebuilt.checkpoints], [logs.length, 2]);
    assert.equal(rebuilt.documents, live);
    assert.deepEqual(await fromRollups(db), expected);
  });

  it("leave logs newer than the last checkpoint for the next one", async () => {
    const db = test.db;
    const before = await fromRollups(db);
    await ingest(db, writerLogs(50, 10));
    assert.deepEqual(await fromRollups(db), before);
    await checkpoint(db);
    assert.deepEqual(await fromRollups(db), fromRawLogs(await logsCollection(db).find().toArray()));
  });

  it("counts each fresh log once when its checkpoint is derived between reading the tail and reading the documents", async () => {
    const db = test.db;
    const counted = await windowTotal(db);
    await ingest(db, writerLogs(60, 12));
    assert.equal(await windowTotal(db), counted + 12);
    const tail = await readFreshTail(db);
    assert.equal(tail.length, 12);
    await checkpoint(db);
    const readings = rollupReadings(
      tail,
      await readWindow(db, RANGE.from, RANGE.to),
      await readWindow(db, RANGE.from, RANGE.from),
    );
    assert.equal(
      readings.slots.reduce((sum, slot) => sum + slot.total, 0),
      counted + 12,
    );
    assert.equal(readings.freshLogs, 0);
    assert.equal(await windowTotal(db), counted + 12);
  });
});
