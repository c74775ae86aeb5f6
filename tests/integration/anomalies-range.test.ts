// On-demand detection reads every log of its range, so the range is bounded
// (ANOMALIES_MAX_RANGE_DAYS, 31 by default) for the API and the CLI alike.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as anomalies from "@/app/api/anomalies/route";
import { getDb } from "@/lib/platform/db/client";
import { createTestApiKey, setupAppDatabase } from "./support/app-db";
import { runScriptWithEnv } from "./support/cli";
import { call } from "./support/http";

setupAppDatabase("anomalies_range");

const DAY_MS = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();

describe("the range of on-demand detection", () => {
  it("GET /api/anomalies: 400 naming from for a range over 31 days, with or without to; 31 days are answered", async () => {
    const key = await createTestApiKey(await getDb(), ["read"]);
    for (const query of [`from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:01Z`, `from=${daysAgo(32)}`]) {
      const response = await call(anomalies.GET, "GET", `/api/anomalies?${query}`, { key });
      assert.equal(response.status, 400, query);
      assert.equal(response.body.error.code, "validation_failed");
      assert.equal(response.body.error.details[0].field, "from", query);
      assert.match(response.body.error.details[0].message, /must be at most 31 days before/);
    }
    const allowed = await call(
      anomalies.GET,
      "GET",
      "/api/anomalies?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z",
      { key },
    );
    assert.equal(allowed.status, 200);
    assert.deepEqual(allowed.body.findings, []);
  });

  it("npm run anomalies exits 2 naming --from beyond ANOMALIES_MAX_RANGE_DAYS", () => {
    const result = runScriptWithEnv({ ANOMALIES_MAX_RANGE_DAYS: "10" }, "anomalies", "--from", daysAgo(11));
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /--from: must be at most 10 days before now/);
  });
});
