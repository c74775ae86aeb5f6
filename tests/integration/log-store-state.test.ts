import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MongoClient } from "mongodb";
import { logsCollection } from "@/lib/records/logs/collection";
import { getLogStoreState } from "@/lib/features/explorer/log-pages";
import { setupTestDatabase } from "./support/test-db";

const test = setupTestDatabase("log_store_state");

describe("getLogStoreState", () => {
  it("is empty before the first log and has_logs after it", async () => {
    assert.equal(await getLogStoreState(test.db), "empty");
    await test.db.collection("logs").insertOne({ _id: "log-1" as never, time: new Date(), status: "success" });
    assert.equal(await getLogStoreState(test.db), "has_logs");
  });

  it("is unavailable, not an exception, when the server cannot be reached", async () => {
    const unreachable = new MongoClient("mongodb://127.0.0.1:9/?directConnection=true", {
      serverSelectionTimeoutMS: 300,
    });
    try {
      assert.equal(await getLogStoreState(unreachable.db("x")), "unavailable");
    } finally {
      await unreachable.close();
    }
  });
});

describe("ensureIndexes", () => {
  it("creates the log indexes and can run again without change", async () => {
    const { ensureIndexes } = await import("@/lib/platform/db/indexes");
    await ensureIndexes(test.db);
    await ensureIndexes(test.db);
    const names = (await logsCollection(test.db).listIndexes().toArray()).map((index) => index.name).sort();
    assert.deepEqual(names, [
      "_id_",
      "action_time",
      "ip_key_time",
      "sequence_unique",
      "status_time",
      "time_desc",
      "user_time",
    ]);
  });
});
