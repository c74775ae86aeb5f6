import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseAnomaliesPageParams } from "./page-params";

const parse = (query: string) => parseAnomaliesPageParams(new URLSearchParams(query));

describe("parseAnomaliesPageParams", () => {
  it("shows every alert and the last 24 hours of findings by default; empty parameters count as absent", () => {
    for (const query of ["", "status=&range="]) {
      const parsed = parse(query);
      assert.ok("view" in parsed);
      assert.equal(parsed.view.status, undefined);
      assert.equal(parsed.view.range.value, "24h");
      assert.equal(parsed.view.range.ms, 86_400_000);
    }
  });

  it("reads a status and one of the explorer's range presets", () => {
    const parsed = parse("status=acknowledged&range=15m");
    assert.ok("view" in parsed);
    assert.deepEqual([parsed.view.status, parsed.view.range.ms], ["acknowledged", 900_000]);
  });

  it("names each bad, unknown or repeated parameter", () => {
    const parsed = parse("status=closed&range=3w&colour=red&range=1h");
    assert.ok("problems" in parsed);
    assert.deepEqual(parsed.problems.map((problem) => problem.field).sort(), ["colour", "range", "status"]);
    const proto = parse("__proto__=x");
    assert.ok("problems" in proto);
    assert.deepEqual(
      proto.problems.map((problem) => problem.field),
      ["__proto__"],
    );
    const status = parse("status=closed");
    assert.ok("problems" in status);
    assert.match(status.problems[0]!.message, /must be one of open, acknowledged, resolved/);
  });
});
