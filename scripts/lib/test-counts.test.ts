import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { goTestOutput, parseGoTestCounts, parsePlaywrightCounts, parseTapCounts } from "./test-counts";

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

describe("parseGoTestCounts", () => {
  const events = [
    { Action: "run", Package: "p", Test: "TestA" },
    { Action: "output", Package: "p", Test: "TestA", Output: "=== RUN   TestA\n" },
    { Action: "pass", Package: "p", Test: "TestA" },
    { Action: "fail", Package: "p", Test: "TestB" },
    { Action: "output", Package: "p", Output: "FAIL\n" },
    { Action: "fail", Package: "p" },
  ];
  const json = `${events.map((event) => JSON.stringify(event)).join("\n")}\n`;

  it("counts each test's pass or fail event, not the package's", () => {
    assert.deepEqual(parseGoTestCounts(json), { passed: 1, failed: 1 });
  });

  it("rebuilds the verbose output and skips lines that are not events", () => {
    assert.equal(goTestOutput(`# build note\n${json}`), "=== RUN   TestA\nFAIL\n");
  });
});
