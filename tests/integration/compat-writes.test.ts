// Compatibility: the write operations Ledgerline relies on behave the same on
// the embedded server (FerretDB on SQLite) and on MongoDB.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MongoBulkWriteError, MongoServerError } from "mongodb";
import { makeLogs, type TestLog } from "./support/factories";
import { setupTestDatabase } from "./support/test-db";

const test = setupTestDatabase("compat_writes");

type Counter = { _id: string; value: number; createdAt?: string };

function idsOf(docs: { _id: string }[]): string[] {
  return docs.map((doc) => doc._id).sort();
}

function assertBulkDuplicate(error: unknown, expectedInserted: number): true {
  assert.ok(error instanceof MongoBulkWriteError, `expected MongoBulkWriteError, got ${String(error)}`);
  assert.equal(error.code, 11000);
  assert.equal(error.insertedCount, expectedInserted);
  const writeErrors = [error.writeErrors].flat();
  assert.deepEqual(
    writeErrors.map((writeError) => [writeError.index, writeError.code]),
    [[2, 11000]],
  );
  return true;
}

describe("insertMany", () => {
  // logs 1..5 where the third repeats the first log's _id
  const batchWithDuplicate = () => {
    const logs = makeLogs(5);
    logs[2]!._id = logs[0]!._id;
    return logs;
  };

  it("ordered: stops at a duplicate _id with 11000, keeping the documents before it", async () => {
    const logs = test.db.collection<TestLog>("insert_ordered");
    await assert.rejects(logs.insertMany(batchWithDuplicate()), (error) => assertBulkDuplicate(error, 2));
    assert.deepEqual(idsOf(await logs.find().toArray()), ["log-1", "log-2"]);
  });

  it("unordered: reports the duplicate _id with 11000 and stores every other document", async () => {
    const logs = test.db.collection<TestLog>("insert_unordered");
    await assert.rejects(logs.insertMany(batchWithDuplicate(), { ordered: false }), (error) =>
      assertBulkDuplicate(error, 4),
    );
    assert.deepEqual(idsOf(await logs.find().toArray()), ["log-1", "log-2", "log-4", "log-5"]);
  });
});

describe("updateOne", () => {
  it("with $inc and upsert inserts on the first call and increments on the second", async () => {
    const counters = test.db.collection<Counter>("counters_upsert");
    const first = await counters.updateOne({ _id: "logs" }, { $inc: { value: 5 } }, { upsert: true });
    assert.equal(first.upsertedCount, 1);
    assert.equal(first.upsertedId, "logs");

    const second = await counters.updateOne({ _id: "logs" }, { $inc: { value: 3 } }, { upsert: true });
    assert.equal(second.upsertedCount, 0);
    assert.equal(second.matchedCount, 1);
    assert.equal(second.modifiedCount, 1);
    assert.deepEqual(await counters.findOne({ _id: "logs" }), { _id: "logs", value: 8 });
  });

  it("with $set that breaks a unique index is rejected and leaves the document unchanged", async () => {
    const counters = test.db.collection<Counter>("counters_unique");
    await counters.createIndex({ value: 1 }, { unique: true });
    await counters.insertMany([
      { _id: "a", value: 1 },
      { _id: "b", value: 2 },
    ]);

    // MongoDB: code 11000 "E11000 duplicate key error ...".
    // FerretDB v1.24.2 (observed): code 1, codeName "InternalError", message
    // "[msg_update.go:133 handler.(*Handler).updateDocument] ... constraint failed:
    // UNIQUE constraint failed: index '<collection>_<hash>_value_1' (2067)".
    // findOneAndUpdate, updateMany and replaceOne fail the same way; an upsert
    // that inserts gives 11000 on both.
    await assert.rejects(counters.updateOne({ _id: "b" }, { $set: { value: 1 } }), (error) => {
      assert.ok(error instanceof MongoServerError);
      const isMongoDuplicate = error.code === 11000;
      const isFerretDuplicate = error.code === 1 && /UNIQUE constraint failed/.test(error.message);
      assert.ok(isMongoDuplicate || isFerretDuplicate, `unexpected error ${error.code}: ${error.message}`);
      return true;
    });
    assert.deepEqual(await counters.findOne({ _id: "b" }), { _id: "b", value: 2 });
  });
});

describe("findOneAndUpdate", () => {
  it("returns the updated document with returnDocument 'after'", async () => {
    const counters = test.db.collection<Counter>("counters_find_update");
    await counters.insertOne({ _id: "checkpoint", value: 41, createdAt: "seed" });

    const updated = await counters.findOneAndUpdate(
      { _id: "checkpoint" },
      { $inc: { value: 1 } },
      { returnDocument: "after" },
    );
    assert.deepEqual(updated, { _id: "checkpoint", value: 42, createdAt: "seed" });
  });

  it("with upsert creates the document, returning null before and the new document after", async () => {
    const counters = test.db.collection<Counter>("counters_find_upsert");
    const update = { $inc: { value: 1 }, $setOnInsert: { createdAt: "first-call" } };

    const before = await counters.findOneAndUpdate({ _id: "lease" }, update, { upsert: true });
    assert.equal(before, null);

    const after = await counters.findOneAndUpdate({ _id: "lease" }, update, {
      upsert: true,
      returnDocument: "after",
    });
    assert.deepEqual(after, { _id: "lease", value: 2, createdAt: "first-call" });

    const created = await counters.findOneAndUpdate({ _id: "other" }, update, {
      upsert: true,
      returnDocument: "after",
    });
    assert.deepEqual(created, { _id: "other", value: 1, createdAt: "first-call" });
  });
});
