// Compatibility: parallel writers on one collection. SQLite allows one writer
// at a time and FerretDB has been reported to answer "database is locked"
// under parallel writes (FerretDB issue #3700); these tests surface any such
// error to the caller instead of retrying it away.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { makeLog, type TestLog } from "./support/factories";
import { setupTestDatabase } from "./support/test-db";

const test = setupTestDatabase("compat_concurrency");

const WRITERS = 8;

/** Runs `WRITERS` loops at once and returns every error message they met. */
async function runWriters(write: (writer: number) => Promise<void>): Promise<string[]> {
  const results = await Promise.allSettled(Array.from({ length: WRITERS }, (_, writer) => write(writer)));
  return results.flatMap((result) => (result.status === "rejected" ? [String(result.reason)] : []));
}

/** Distinct sequences (and so _ids) per writer: writer w owns w*10_000 + 1.. */
function writerLog(writer: number, index: number): TestLog {
  return makeLog({ sequence: writer * 10_000 + index + 1, user: `writer-${writer}` });
}

describe("concurrent writers", () => {
  it("8 writers inserting 50 logs each, one by one, all succeed and store 400 logs", async () => {
    const logs = test.db.collection<TestLog>("logs_one_by_one");
    const errors = await runWriters(async (writer) => {
      for (let index = 0; index < 50; index++) await logs.insertOne(writerLog(writer, index));
    });
    assert.deepEqual(errors, []);
    assert.equal(await logs.countDocuments(), 400);
    for (let writer = 0; writer < WRITERS; writer++) {
      assert.equal(await logs.countDocuments({ user: `writer-${writer}` }), 50, `logs of writer ${writer}`);
    }
  });

  it("8 writers inserting 5 batches of 100 logs each with insertMany all succeed and store 4,000 logs", async () => {
    const logs = test.db.collection<TestLog>("logs_batches");
    const errors = await runWriters(async (writer) => {
      for (let batch = 0; batch < 5; batch++) {
        const indexes = Array.from({ length: 100 }, (_, offset) => batch * 100 + offset);
        await logs.insertMany(indexes.map((index) => writerLog(writer, index)));
      }
    });
    assert.deepEqual(errors, []);
    assert.equal(await logs.countDocuments(), 4_000);
    assert.equal((await logs.distinct("user")).length, WRITERS);
  });
});
