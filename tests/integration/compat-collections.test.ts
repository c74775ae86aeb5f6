// Compatibility: indexes and capped collections as Ledgerline uses them, on
// the embedded server (FerretDB on SQLite) and on MongoDB.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MongoServerError, type Document } from "mongodb";
import { COLLECTIONS } from "@/lib/platform/db/collections";
import { ensureIndexes, INDEXES } from "@/lib/platform/db/indexes";
import { isFerretDb, makeLog, type TestLog } from "./support/factories";
import { setupTestDatabase } from "./support/test-db";

const test = setupTestDatabase("compat_collections");

/** name → [key entries in order, unique]; key order matters for compound indexes. */
function describeIndexes(indexes: Document[]): Record<string, [Array<[string, unknown]>, boolean]> {
  return Object.fromEntries(
    indexes.map((index) => [index.name as string, [Object.entries(index.key as Document), index.unique === true]]),
  );
}

describe("indexes", () => {
  it("createIndexes creates a compound and a unique index that listIndexes reports", async () => {
    const events = test.db.collection("events");
    const names = await events.createIndexes([
      { name: "user_time", key: { user: 1, time: -1 } },
      { name: "token_unique", key: { token: 1 }, unique: true },
    ]);
    assert.deepEqual(names, ["user_time", "token_unique"]);
    assert.deepEqual(describeIndexes(await events.listIndexes().toArray()), {
      _id_: [[["_id", 1]], false],
      user_time: [
        [
          ["user", 1],
          ["time", -1],
        ],
        false,
      ],
      token_unique: [[["token", 1]], true],
    });
  });

  it("ensureIndexes can run twice and leaves exactly the indexes Ledgerline declares", async () => {
    const first = await ensureIndexes(test.db);
    const second = await ensureIndexes(test.db);
    assert.deepEqual(second, first);

    for (const [collection, declared = []] of Object.entries(INDEXES)) {
      const expected = describeIndexes(declared);
      const listed = describeIndexes(await test.db.collection(collection).listIndexes().toArray());
      assert.deepEqual(listed, { _id_: [[["_id", 1]], false], ...expected }, `indexes of ${collection}`);
    }
  });

  it("the unique sequence index rejects a second log with the same sequence with code 11000", async () => {
    await ensureIndexes(test.db);
    const logs = test.db.collection<TestLog>(COLLECTIONS.logs);
    await logs.insertOne(makeLog({ sequence: 7 }));
    await assert.rejects(logs.insertOne(makeLog({ sequence: 7, _id: "another-log" })), (error) => {
      assert.ok(error instanceof MongoServerError);
      assert.equal(error.code, 11000);
      return true;
    });
    assert.deepEqual(await logs.distinct("_id"), ["log-7"]);
  });
});

describe("capped collections", () => {
  // _ids run backwards so that insertion order differs from _id order
  const docsInInsertionOrder = Array.from({ length: 8 }, (_, index) => ({ _id: 100 - index, index }));

  const createCapped = (name: string) =>
    test.db.createCollection<{ _id: number; index: number }>(name, { capped: true, size: 1_000_000, max: 5 });

  it("keeps only the newest `max` documents, in insertion order with $natural", async () => {
    const capped = await createCapped("outbox");
    for (const doc of docsInInsertionOrder) await capped.insertOne(doc);
    if (await isFerretDb(test.db)) {
      // FerretDB v1.24.2 does not trim on insert: trimming is a background job
      // whose interval the embedding API (ferretdb.New) leaves at 0, i.e. off.
      // The `compact` command runs the same trimming on demand.
      assert.equal(await capped.countDocuments(), 8);
      await test.db.command({ compact: "outbox" });
    }
    const newestFive = docsInInsertionOrder.slice(3);
    assert.deepEqual(await capped.find().sort({ $natural: 1 }).toArray(), newestFive);
    assert.deepEqual(await capped.find().sort({ $natural: -1 }).toArray(), newestFive.toReversed());
  });

  it("reports itself as capped with the given size and max", async () => {
    const capped = await createCapped("outbox_options");
    assert.equal(await capped.isCapped(), true);
    const options = await capped.options();
    assert.equal(options.capped, true);
    assert.equal(options.max, 5);
    assert.ok(options.size >= 1_000_000, `size ${options.size}`);
  });
});
