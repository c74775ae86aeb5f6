// Logs read in the collection's natural order and put back in sequence order
// through a bounded buffer, so the embedded server never sorts them in memory;
// logs a restore inserted out of place are listed, fetched by log_id and
// merged in; too many listed, the server sorts.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { isFerretDb } from "@/lib/platform/db/server-kind";
import { MISPLACED_LIMIT, readMisplacedLogs, recordMisplacedLogs } from "@/lib/records/logs/misplaced-logs";
import type { StoredLog } from "@/lib/records/logs/record";
import { logsInNaturalOrder, logsInOrder, OutOfOrderError } from "@/lib/records/logs/sequence-order";
import { setupTestDatabase } from "./support/test-db";

const test = setupTestDatabase("sequence_order");
let db: Db;

// Stored in blocks written out of order, as concurrent requests store them: 10–19, 0–9, 30–39, 20–29.
const STORED = [10, 0, 30, 20].flatMap((start) => Array.from({ length: 10 }, (_, i) => start + i));
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

async function sequences(source: AsyncIterable<StoredLog>): Promise<number[]> {
  const seen: number[] = [];
  for await (const log of source) seen.push(log.sequence);
  return seen;
}

const logsOf = (sequences: number[]) =>
  sequences.map((sequence) => ({ _id: `log-${sequence}`, sequence, mac: `mac-${sequence}` })) as never[];

describe("logs in sequence order", () => {
  before(async () => {
    db = test.db;
    await db.collection("logs").insertMany(logsOf(STORED));
  });

  it("puts logs stored up to the buffer's size from their place back in sequence order, within the range", async () => {
    assert.deepEqual(await sequences(logsInNaturalOrder(db, {}, { limit: 20 })), range(0, 40));
    assert.deepEqual(await sequences(logsInNaturalOrder(db, { from: 5, to: 25 }, { limit: 20 })), range(5, 25));
  });

  it("stops with OutOfOrderError when a log lies further from its place than the buffer holds", async () => {
    await assert.rejects(sequences(logsInNaturalOrder(db, {}, { limit: 5 })), OutOfOrderError);
  });

  it("merges in the logs a restore listed as misplaced, with their projection", async () => {
    // Sequences 50–52 are stored; a restore then lists and inserts the missing 45–49 after them (40–44 stay void).
    await db.collection("logs").insertMany(logsOf([50, 51, 52]));
    const restored: [string, number][] = [45, 46, 47, 48, 49].map((sequence) => [`log-${sequence}`, sequence]);
    await recordMisplacedLogs(db, restored);
    await db.collection("logs").insertMany(logsOf([45, 46, 47, 48, 49]));
    const misplaced = await readMisplacedLogs(db);
    assert.deepEqual(misplaced, restored);
    // The buffer of 2 could never reach back 3 places: only the list puts them in.
    const read = await sequences(
      logsInNaturalOrder(db, { from: 30 }, { limit: 2, misplaced: misplaced as [string, number][] }),
    );
    assert.deepEqual(read, [...range(30, 40), ...range(45, 53)]);
    const projected: StoredLog[] = [];
    for await (const log of logsInNaturalOrder(
      db,
      { from: 44, to: 51 },
      { limit: 2, misplaced: misplaced as [string, number][], projection: { _id: 1 } },
    ))
      projected.push(log);
    assert.deepEqual(
      projected,
      range(45, 51).map((sequence) => ({ _id: `log-${sequence}`, sequence })),
    );
    if (await isFerretDb(db))
      assert.deepEqual(await sequences(logsInOrder(db, {}, undefined, 20)), [...range(0, 40), ...range(45, 53)]);
  });

  it("lets the server sort once the list gives up", async () => {
    const many: [string, number][] = Array.from({ length: MISPLACED_LIMIT + 1 }, (_, i) => [`gone-${i}`, 1_000 + i]);
    await recordMisplacedLogs(db, many);
    assert.equal(await readMisplacedLogs(db), "too_many");
    // A buffer of 1 would fail on the natural order: the server's sort does not.
    assert.deepEqual(await sequences(logsInOrder(db, {}, undefined, 1)), [...range(0, 40), ...range(45, 53)]);
  });
});
