import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parsePlaywrightCounts, parseTapCounts } from "./test-counts";

describe("parseTapCounts", () => {
  it("reads the closing pass, fail and cancelled lines", () => {
    const tap = "TAP version 13\nok 1 - a\n1..3\n# tests 3\n# pass 2\n# fail 1\n# cancelled 1\n# skipped 0\n";
    assert.deepEqual(parseTapCounts(tap), { passed: 2, failed: 2 });
  });

  it("counts nothing when the run never finished", () => {
    assert.deepEqual(parseTapCounts("TAP version 13\n"), { passed: 0, failed: 0 });
  });
});

describe("parsePlaywrightCounts", () => {
  it("counts flaky tests as passed and unexpected ones as failed", () => {
    const json = JSON.stringify({ stats: { expected: 5, unexpected: 2, flaky: 1, skipped: 3 } });
    assert.deepEqual(parsePlaywrightCounts(json), { passed: 6, failed: 2 });
  });
});
