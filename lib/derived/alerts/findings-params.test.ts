import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findingsPageHref } from "./findings-href";
import { parseFindingsPageParams } from "./findings-params";

describe("parseFindingsPageParams", () => {
  it("runs nothing on a plain address, over the last 24 hours", () => {
    const parsed = parseFindingsPageParams(new URLSearchParams());
    assert.ok("view" in parsed);
    assert.equal(parsed.view.run, false);
    assert.equal(parsed.view.range.value, "24h");
  });

  it("reads back the address it writes", () => {
    const parsed = parseFindingsPageParams(new URL(findingsPageHref("7d", true), "http://x").searchParams);
    assert.ok("view" in parsed);
    assert.deepEqual([parsed.view.range.value, parsed.view.run], ["7d", true]);
  });

  it("names a bad range and a bad run", () => {
    const parsed = parseFindingsPageParams(new URLSearchParams("range=3w&run=yes"));
    assert.ok("problems" in parsed);
    assert.deepEqual(
      parsed.problems.map((problem) => `${problem.field} ${problem.message}`),
      ["range must be one of 15m, 1h, 24h, 7d", "run must be 1 (run detection now) or left out"],
    );
  });
});
