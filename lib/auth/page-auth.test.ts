import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { safeNextPath } from "./page-auth";

describe("safeNextPath", () => {
  it("keeps a path on this site, with its query", () => {
    assert.equal(safeNextPath("/dashboard?range=24h"), "/dashboard?range=24h");
  });

  it("refuses anything that could leave the site, falling back to the logs", () => {
    for (const next of ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "", undefined, null]) {
      assert.equal(safeNextPath(next), "/logs", String(next));
    }
  });
});
