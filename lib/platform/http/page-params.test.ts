import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import { parsePageParams } from "./page-params";

const Schema = z.strictObject({ range: z.enum(["1h", "24h"]).default("24h"), run: z.literal("1").optional() });

describe("parsePageParams", () => {
  it("reads each parameter once, an empty one as absent", () => {
    assert.deepEqual(parsePageParams(Schema, new URLSearchParams("range=1h&run=")), { values: { range: "1h" } });
  });

  it("names a repeated, an unknown and a bad parameter", () => {
    const result = parsePageParams(Schema, new URLSearchParams("range=1h&range=24h&colour=red&run=2"));
    assert.ok("problems" in result);
    assert.deepEqual(result.problems.map((problem) => problem.field).sort(), ["colour", "range", "run"]);
  });
});
