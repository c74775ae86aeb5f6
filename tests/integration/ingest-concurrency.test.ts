// Sequence numbers under concurrent ingestion: unique, and every number that
// carries no log is recorded as a void in a settled block.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { MongoClient, type Db } from "mongodb";
import { POST } from "@/app/api/logs/route";
import { getDb } from "@/lib/platform/db/client";
import { logsCollection } from "@/lib/records/logs/collection";
import { resetLogStore } from "@/lib/ledger/reset";
import { blockLeaves } from "@/lib/records/logs/leaves";
import { summaryColumns } from "@/lib/records/logs/summaries";
import {
  reserveSequences,
  sequenceBlocks,
  sequenceSettlements,
  settleSequences,
  type SequenceBlock,
} from "@/lib/records/logs/sequence";
import { createTestApiKey, setupAppDatabase } from "./support/app-db";
import { call } from "./support/http";
import { makeLogInputs } from "./support/log-inputs";

setupAppDatabase("ingest_concurrency");

let db: Db;
before(async () => {
  db = await getDb();
});

async function blocksInOrder(): Promise<SequenceBlock[]> {
  return sequenceBlocks(db).find().sort({ _id: 1 }).toArray();
}

function assertContiguous(blocks: SequenceBlock[], from: number): number {
  let next = from;
  for (const block of blocks) {
    assert.equal(block._id, next, `block at ${block._id} should start at ${next}`);
    assert.ok(block.end > block._id);
    next = block.end;
  }
  return next;
}

describe("reserveSequences", () => {
  it("gives 8 concurrent reservers contiguous, non-overlapping blocks", async () => {
    const before = (await blocksInOrder()).at(-1)?.end ?? 1;
    const sizes = [1, 5, 50, 3, 17, 8, 2, 30];
    const claims = await Promise.all(sizes.map((size) => reserveSequences(db, size)));
    claims.forEach((claim, i) => assert.equal(claim.end - claim.start, sizes[i]));
    const sorted = [...claims].sort((a, b) => a.start - b.start);
    let next = before;
    for (const claim of sorted) {
      assert.equal(claim.start, next);
      next = claim.end;
    }
    // Nothing was stored under these numbers: settle them as voids, as ingestion would.
    for (const claim of claims) {
      await settleSequences(db, claim, { ...blockLeaves(claim, new Map()), summaries: summaryColumns([]) });
    }
  });

  it("lets one process's concurrent claims take turns, so none collides with another", async () => {
    const watching = new MongoClient(process.env.MONGODB_URI!, { monitorCommands: true });
    let claims = 0;
    let collisions = 0;
    watching.on("commandSucceeded", (event) => {
      if (event.commandName !== "insert" || event.databaseName !== db.databaseName) return;
      const reply = event.reply as { writeErrors?: unknown[] };
      claims++;
      if (reply.writeErrors?.length) collisions++;
    });
    try {
      const watched = watching.db(db.databaseName);
      // Another process's first claim hops over the blocks this one made since the hint was last written.
      const first = await reserveSequences(watched, 1);
      await first.hintAdvanced;
      await settleSequences(watched, first, { ...blockLeaves(first, new Map()), summaries: summaryColumns([]) });
      claims = collisions = 0;
      const blocks = await Promise.all(Array.from({ length: 8 }, () => reserveSequences(watched, 10)));
      await Promise.all(blocks.map((block) => block.hintAdvanced));
      assert.equal(claims, 8, "one insert per claim");
      assert.equal(collisions, 0);
      for (const block of blocks)
        await settleSequences(watched, block, { ...blockLeaves(block, new Map()), summaries: summaryColumns([]) });
    } finally {
      await watching.close();
    }
  });
});

describe("POST /api/logs under concurrency", () => {
  it("8 parallel batches with overlapping log_ids store each log once with unique sequences, voiding the rest", async () => {
    const key = await createTestApiKey(db);
    const shared = makeLogInputs(10);
    const batches = Array.from({ length: 8 }, () => [...makeLogInputs(40), ...shared]);
    const logsBefore = await logsCollection(db).countDocuments();

    const responses = await Promise.all(
      batches.map((batch) => call(POST, "POST", "/api/logs", { key, body: JSON.stringify(batch) })),
    );
    for (const response of responses) assert.equal(response.status, 201, JSON.stringify(response.body));
    const accepted = responses.reduce((sum, r) => sum + r.body.accepted, 0);
    const duplicates = responses.reduce((sum, r) => sum + r.body.duplicates, 0);
    assert.equal(accepted, 8 * 40 + 10);
    assert.equal(duplicates, 7 * 10);

    const logs = await logsCollection(db)
      .find({}, { projection: { sequence: 1 } })
      .toArray();
    assert.equal(logs.length, logsBefore + 330);
    const sequences = new Set(logs.map((log) => log.sequence));
    assert.equal(sequences.size, logs.length, "sequence numbers are unique");

    const blocks = await blocksInOrder();
    const end = assertContiguous(blocks, 1);
    const settlements = await sequenceSettlements(db).find().sort({ _id: 1 }).toArray();
    assert.deepEqual(
      settlements.map((s) => [s._id, s.end]),
      blocks.map((b) => [b._id, b.end]),
      "every block is settled",
    );
    const voids = settlements.flatMap((settlement) => settlement.voids);
    assert.ok(
      voids.every((sequence) => !sequences.has(sequence)),
      "a void never carries a log",
    );
    // Every reserved number either carries a stored log or is recorded as void.
    assert.equal(sequences.size + voids.length, end - 1);
  });
});

describe("a reset between claims", () => {
  it("starts the new chain at 1, though this process's last claim ended further on", async () => {
    const before = await reserveSequences(db, 5);
    await before.hintAdvanced;
    assert.ok(before.end > 1);
    await resetLogStore(db, { user: "test" });
    const [first] = await logsCollection(db).find().toArray();
    assert.equal(first?.sequence, 1, "the reset's own record is the new chain's first log");
    assertContiguous(await blocksInOrder(), 1);
  });
});
