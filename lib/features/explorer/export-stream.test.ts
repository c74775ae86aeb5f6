import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { exportFileName } from "@/lib/features/explorer/export-stream";

describe("exportFileName", () => {
  it("carries the time range and the format", () => {
    const from = new Date("2026-11-26T08:00:00Z");
    const to = new Date("2026-11-26T09:00:30.250Z");
    const csv = { format: "csv" } as const;
    assert.equal(
      exportFileName({ ...csv, from, to: new Date("2026-11-26T09:00:00Z") }),
      "ledgerline-logs-20261126T0800Z-20261126T0900Z.csv",
    );
    assert.equal(exportFileName({ ...csv, from, to }), "ledgerline-logs-20261126T0800Z-20261126T090030.250Z.csv");
    assert.equal(exportFileName({ ...csv, from }), "ledgerline-logs-from-20261126T0800Z.csv");
    assert.equal(exportFileName({ ...csv, to: from }), "ledgerline-logs-until-20261126T0800Z.csv");
    assert.equal(exportFileName({ format: "ndjson" }), "ledgerline-logs-all-time.ndjson");
  });
});
