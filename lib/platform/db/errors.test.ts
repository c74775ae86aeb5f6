import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MongoBulkWriteError, MongoNetworkError, type BulkWriteResult } from "mongodb";
import { isDatabaseUnavailable } from "@/lib/platform/db/errors";
import { duplicateIndexesOf, isOnlyDuplicateKeyErrors } from "./errors";

const result = { getWriteConcernError: () => undefined } as unknown as BulkWriteResult;
const refused = (codes: number[]) =>
  new MongoBulkWriteError(
    {
      message: "refused",
      code: codes[0],
      writeErrors: codes.map((code, index) => ({ code, index: index * 2, errmsg: "x" })),
    } as never,
    result,
  );

describe("duplicateIndexesOf", () => {
  it("names the documents refused as already stored", () => {
    assert.deepEqual(duplicateIndexesOf(refused([11000, 11000])), [0, 2]);
    assert.equal(isOnlyDuplicateKeyErrors(refused([11000])), true);
  });

  it("is undefined when anything else went wrong", () => {
    assert.equal(duplicateIndexesOf(refused([11000, 121])), undefined);
    assert.equal(duplicateIndexesOf(new Error("boom")), undefined);
  });

  it("never reads a bulk write cut off by a lost connection as stored, and calls it the database being away", () => {
    const cutOff = new MongoBulkWriteError(new MongoNetworkError("connection 7 to 127.0.0.1:27117 closed"), result);
    assert.deepEqual([cutOff.writeErrors].flat(), []);
    assert.equal(duplicateIndexesOf(cutOff), undefined);
    assert.equal(isOnlyDuplicateKeyErrors(cutOff), false);
    assert.equal(isDatabaseUnavailable(cutOff), true);
    assert.equal(isDatabaseUnavailable(refused([11000])), false);
  });
});
