import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseDashboardParams } from "./params";

const NOW = new Date("2026-04-02T09:00:00.000Z");
const parse = (query: string) => parseDashboardParams(new URLSearchParams(query), NOW);

describe("parseDashboardParams", () => {
  it("defaults to the last 24 hours in UTC", () => {
    assert.deepEqual(parse(""), {
      query: { from: new Date("2026-04-01T09:00:00.000Z"), to: NOW, tz: "UTC", range: "24h" },
    });
  });

  it("reads a preset and a time zone as the explorer does", () => {
    assert.deepEqual(parse("range=7d&tz=Asia/Kolkata"), {
      query: { from: new Date("2026-03-26T09:00:00.000Z"), to: NOW, tz: "Asia/Kolkata", range: "7d" },
    });
  });

  it("reads from/to, and from alone up to now", () => {
    assert.deepEqual(parse("from=2026-04-01T00:00:00Z&to=2026-04-01T12:00:00Z"), {
      query: { from: new Date("2026-04-01T00:00:00Z"), to: new Date("2026-04-01T12:00:00Z"), tz: "UTC" },
    });
    assert.deepEqual(parse("from=2026-04-01T00:00:00Z"), {
      query: { from: new Date("2026-04-01T00:00:00Z"), to: NOW, tz: "UTC" },
    });
  });

  it("names every bad, unknown or missing parameter", () => {
    const result = parse("range=1y&tz=Mars/Olympus&status=failed");
    assert.ok("problems" in result);
    assert.deepEqual(result.problems.map((problem) => problem.field).sort(), ["range", "status", "tz"]);
    const missing = parse("to=2026-04-01T00:00:00Z");
    assert.ok("problems" in missing);
    assert.deepEqual(
      missing.problems.map((problem) => problem.field),
      ["from"],
    );
    const long = parse("range=400d");
    assert.ok("problems" in long);
    assert.match(long.problems[0]!.message, /at most 366 days/);
  });
});
