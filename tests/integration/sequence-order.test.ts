// Logs read in the collection's natural order and put back in sequence order
// through a bounded buffer, so the embedded server never sorts them in memory.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import type { StoredLog } from "@/lib/logs/record";
import { logsInSequenceOrder, OutOfOrderError } from "@/lib/logs/sequence-order";
import { setupTestDatabase } from "./support/test-db";

const test = setupTestDatabase("sequence_order");
let db: Db;

// Stored in blocks written out of order, as concurrent requests store them: 10–19, 0–9, 30–39, 20–29.
const STORED = [10, 0, 30, 20].flatMap((start) => Array.from({ length: 10 }, (_, i) => start + i));

async function sequences(source: AsyncIterable<StoredLog>): Promise<number[]> {
  const seen: number[] = [];
  for await (const log of source) seen.push(log.sequence);
  return seen;
}

describe("logsInSequenceOrder", () => {
  before(async () => {
    db = test.db;
    await db.collection("logs").insertMany(STORED.map((sequence) => ({ _id: `log-${sequence}`, sequence })) as never[]);
  });

  it("puts logs stored up to the buffer's size from their place back in sequence order, within the filter", async () => {
    assert.deepEqual(await sequences(logsInSequenceOrder(db, {}, 20)), Array.from({ length: 40 }, (_, i) => i));
    assert.deepEqual(await sequences(logsInSequenceOrder(db, { sequence: { $gte: 5, $lt: 25 } }, 20)), Array.from({ length: 20 }, (_, i) => i + 5));
  });

  it("stops with OutOfOrderError when a log lies further from its place than the buffer holds", async () => {
    await assert.rejects(sequences(logsInSequenceOrder(db, {}, 5)), OutOfOrderError);
  });
});
