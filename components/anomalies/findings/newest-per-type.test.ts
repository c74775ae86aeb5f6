import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { newestPerType } from "./newest-per-type";

describe("newestPerType", () => {
  it("keeps the newest of each type, newest first", () => {
    const findings = [
      { type: "failure_burst" as const, n: 1 },
      { type: "off_hours" as const, n: 2 },
      { type: "failure_burst" as const, n: 3 },
      { type: "failure_burst" as const, n: 4 },
    ];
    assert.deepEqual(
      newestPerType(findings, 2).map((finding) => finding.n),
      [4, 3, 2],
    );
  });
});
