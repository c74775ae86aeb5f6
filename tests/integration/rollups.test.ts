// Rollups written by each checkpoint agree exactly with counts over the raw
// logs, after concurrent ingestion, and a rebuild from the logs gives the same.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Db } from "mongodb";
import { ensureIndexes } from "@/lib/db/indexes";
import { getCheckpointSigner, getKeyring } from "@/lib/integrity/active-keyring";
import { writeCheckpoint } from "@/lib/integrity/checkpoints";
import { logsCollection } from "@/lib/logs/collection";
import { ingestLogs } from "@/lib/logs/ingest";
import type { StoredLog } from "@/lib/logs/record";
import type { LogInput } from "@/lib/logs/schemas";
import { distinctCount, quarterRange, quarterTotals, topValues } from "@/lib/rollups/read";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import { QUARTER_MS, quarterOf, rollupsCollection } from "@/lib/rollups/rollups";
import { makeLogInput } from "./support/log-inputs";
import { setupTestDatabase } from "./support/test-db";

const test = setupTestDatabase("rollups");

const BASE = Date.UTC(2026, 3, 1, 9, 0, 0);
const RANGE = quarterRange(new Date(BASE - QUARTER_MS), new Date(BASE + 8 * QUARTER_MS));

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

const ingest = (db: Db, inputs: LogInput[]) => ingestLogs(db, inputs, { keyring: getKeyring(), maxFutureSkewMs: 300_000 });
const checkpoint = (db: Db) => writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 120_000 });

/** The dashboard's questions, answered from the raw logs. */
function fromRawLogs(logs: StoredLog[]) {
  const quarters = new Map<number, { total: number; failed: number }>();
  const failuresByIp = new Map<string, number>();
  for (const log of logs) {
    const key = quarterOf(log.time).getTime();
    const sum = quarters.get(key) ?? { total: 0, failed: 0 };
    sum.total++;
    if (log.status === "failed") {
      sum.failed++;
      failuresByIp.set(log.ip, (failuresByIp.get(log.ip) ?? 0) + 1);
    }
    quarters.set(key, sum);
  }
  return {
    quarters: [...quarters].sort(([a], [b]) => a - b).map(([quarter, sum]) => ({ quarter: new Date(quarter), ...sum })),
    topFailingIps: [...failuresByIp].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1)).slice(0, 10),
    users: new Set(logs.map((log) => log.user)).size,
    actions: new Set(logs.map((log) => log.action)).size,
  };
}

async function fromRollups(db: Db) {
  return {
    quarters: await quarterTotals(db, RANGE),
    topFailingIps: await topValues(db, "ips", RANGE, "f", 10),
    users: await distinctCount(db, "users", RANGE),
    actions: await distinctCount(db, "actions", RANGE),
  };
}

describe("rollups", () => {
  it("agree exactly with the raw logs after 8 concurrent writers, duplicates and two checkpoints, and after a rebuild", async () => {
    const db = test.db;
    await ensureIndexes(db);
    const shared = writerLogs(99, 20);
    await Promise.all(Array.from({ length: 8 }, (_, writer) => ingest(db, [...writerLogs(writer, 40), ...shared])));
    await checkpoint(db);
    const second = await Promise.all(Array.from({ length: 4 }, (_, writer) => ingest(db, writerLogs(writer + 10, 25))));
    assert.deepEqual(second.map((result) => [result.accepted, result.duplicates]), Array(4).fill([25, 0]));
    await checkpoint(db);

    const logs = await logsCollection(db).find().toArray();
    assert.equal(logs.length, 8 * 40 + 20 + 4 * 25);
    const expected = fromRawLogs(logs);
    assert.deepEqual(await fromRollups(db), expected);

    const live = await rollupsCollection(db).countDocuments();
    const rebuilt = await rebuildRollups(db);
    assert.deepEqual([rebuilt.logs, rebuilt.checkpoints], [logs.length, 2]);
    assert.equal(rebuilt.documents, live);
    assert.deepEqual(await fromRollups(db), expected);
  });

  it("leave logs newer than the last checkpoint for the next one", async () => {
    const db = test.db;
    const before = await quarterTotals(db, RANGE);
    await ingest(db, writerLogs(50, 10));
    assert.deepEqual(await quarterTotals(db, RANGE), before);
    await checkpoint(db);
    const after = await quarterTotals(db, RANGE);
    assert.equal(after.reduce((sum, q) => sum + q.total, 0), before.reduce((sum, q) => sum + q.total, 0) + 10);
  });
});
