// Compatibility: values the embedded server (FerretDB v1.24.2 on SQLite) may
// refuse. Each test records what the server actually does, so that input
// validation at the edge can make both backends behave the same.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { BSON, MongoServerError, type Document } from "mongodb";
import { isFerretDb } from "./support/factories";
import { setupTestDatabase } from "./support/test-db";

const test = setupTestDatabase("compat_values");

let onFerretDb: boolean;
type AnyDoc = Document & { _id: string };
const values = () => test.db.collection<AnyDoc>("values");

// On FerretDB the insert fails with code 2 and `message`. MongoDB 5.0+ stores such
// documents as given (its manual, "Field Names with Periods and Dollar Signs").
async function assertRefusedByFerretDbOnly(doc: AnyDoc, message: RegExp) {
  if (!onFerretDb) {
    await values().insertOne(doc);
    assert.deepEqual(await values().findOne({ _id: doc._id }), doc);
    return;
  }
  await assert.rejects(values().insertOne(doc), (error) => {
    assert.ok(error instanceof MongoServerError);
    assert.equal(error.code, 2);
    assert.match(error.message, message);
    return true;
  });
  assert.equal(await values().countDocuments({ _id: doc._id }), 0);
}

describe("values at the edge of what the servers accept", () => {
  before(async () => {
    onFerretDb = await isFerretDb(test.db);
  });

  it("stores and finds a string value containing NUL unchanged", async () => {
    // FerretDB's SQLite backend stores it too (observed on v1.24.2); only a NUL in a key is refused.
    const doc = { _id: "nul-value", message: "before\u0000after" };
    await values().insertOne(doc);
    assert.deepEqual(await values().findOne({ message: "before\u0000after" }), doc);
  });

  it("refuses a key containing NUL in the driver, before anything reaches the server", async () => {
    await assert.rejects(values().insertOne({ _id: "nul-key", ["a\u0000b"]: 1 }), (error) => {
      assert.ok(error instanceof BSON.BSONError);
      assert.match(error.message, /must not contain null bytes/);
      return true;
    });
  });

  it("refuses a key containing '.' on FerretDB (code 2), at any depth", async () => {
    await assertRefusedByFerretDbOnly(
      { _id: "dot-top", "user.name": "alice" },
      /invalid key: "user\.name" \(key must not contain '\.' sign\)/,
    );
    await assertRefusedByFerretDbOnly({ _id: "dot-nested", details: { "a.b": 1 } }, /invalid key: "a\.b"/);
  });

  it("refuses a key starting with '$' on FerretDB (code 2), at any depth", async () => {
    await assertRefusedByFerretDbOnly(
      { _id: "dollar-top", $where: "x" },
      /invalid key: "\$where" \(key must not start with '\$' sign\)/,
    );
    await assertRefusedByFerretDbOnly({ _id: "dollar-nested", details: { $inc: 1 } }, /invalid key: "\$inc"/);
  });

  it("refuses an array directly inside an array on FerretDB (code 2)", async () => {
    const doc = { _id: "nested-array", tags: [["a", "b"], ["c"]] };
    await assertRefusedByFerretDbOnly(doc, /nested arrays are not supported/);
  });

  it("stores an array of documents that contain arrays on both servers", async () => {
    const doc = { _id: "array-of-documents", hops: [{ ips: ["10.0.0.1", "10.0.0.2"] }, { ips: [] }] };
    await values().insertOne(doc);
    assert.deepEqual(await values().findOne({ _id: "array-of-documents" }), doc);
  });
});
