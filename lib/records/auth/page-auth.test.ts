import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { safeNextPath } from "./page-auth";

describe("safeNextPath", () => {
  it("keeps a path on this site, with its query", () => {
    assert.equal(safeNextPath("/dashboard?range=24h"), "/dashboard?range=24h");
    assert.equal(safeNextPath("/logs?user=a%20b&exclude_ip=10.0.0.0%2F8"), "/logs?user=a%20b&exclude_ip=10.0.0.0%2F8");
    // Resolved on this site: dot segments cannot climb out of it.
    assert.equal(safeNextPath("/a/../../settings"), "/settings");
  });

  it("refuses anything that could leave the site, falling back to the logs", () => {
    const sneaky = [
      "/\t/evil.example",
      "/\r\n/evil.example",
      "/\n/evil.example",
      "\t//evil.example",
      "/\\/evil.example",
      "/\u0000/x",
      "/%09/../\\evil.example",
    ];
    for (const next of [
      "https://evil.example/",
      "//evil.example/x",
      "/\\evil.example",
      "javascript:alert(1)",
      "",
      undefined,
      null,
      ...sneaky,
    ]) {
      assert.equal(safeNextPath(next), "/logs", String(next));
    }
  });
});
