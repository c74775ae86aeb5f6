import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseLogFilter } from "@/lib/records/logs/filters";
import { LOG_FILTER_PARAMETERS } from "./log-filter-parameters";

const NOW = new Date("2026-11-26T09:00:00.000Z");

describe("the log filter's OpenAPI parameters", () => {
  it("let a parameter be sent empty only where the filter reads name= as no filter", () => {
    const allowing = LOG_FILTER_PARAMETERS.filter((parameter) => parameter.allowEmptyValue);
    assert.ok(
      allowing.some((parameter) => parameter.name === "to") && allowing.some((parameter) => parameter.name === "user"),
    );
    for (const { name } of allowing) {
      const filter = parseLogFilter(new URLSearchParams(`${name}=`), NOW);
      assert.deepEqual(filter, parseLogFilter(new URLSearchParams(), NOW), name);
    }
  });
});
