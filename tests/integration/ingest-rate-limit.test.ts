// POST /api/logs per-key rate limit: requests above the limit get 429 with
// Retry-After and store nothing; other keys are not affected.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { POST } from "@/app/api/logs/route";
import { getDb } from "@/lib/platform/db/client";
import { logsCollection } from "@/lib/records/logs/collection";
import { createTestApiKey, setupAppDatabase } from "./support/app-db";
import { call } from "./support/http";
import { makeLogInput } from "./support/log-inputs";

setupAppDatabase("ingest_rate_limit", { INGEST_RATE_LIMIT_PER_MINUTE: "3" });

let db: Db;
before(async () => {
  db = await getDb();
});

describe("POST /api/logs rate limit", () => {
  it("accepts 3 requests a minute per key, refuses the 4th with 429 and stores nothing from it", async () => {
    const key = await createTestApiKey(db);
    for (let i = 0; i < 3; i++) {
      assert.equal((await call(POST, "POST", "/api/logs", { key, body: JSON.stringify(makeLogInput()) })).status, 201);
    }
    const refusedLog = makeLogInput();
    const refused = await call(POST, "POST", "/api/logs", { key, body: JSON.stringify(refusedLog) });
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error.code, "rate_limited");
    const retryAfter = Number(refused.headers.get("retry-after"));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    assert.equal(await logsCollection(db).countDocuments({ _id: refusedLog.log_id as string }), 0);

    const otherKey = await createTestApiKey(db);
    assert.equal(
      (await call(POST, "POST", "/api/logs", { key: otherKey, body: JSON.stringify(makeLogInput()) })).status,
      201,
    );
  });
});
