import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isRootProbe } from "./shipper-paths";

describe("isRootProbe", () => {
  it("sends the root to the version answer unless the client wants HTML", () => {
    assert.ok(isRootProbe("GET", "/", null));
    assert.ok(isRootProbe("HEAD", "/", "*/*"));
    assert.ok(isRootProbe("GET", "/", "application/json"));
    assert.ok(!isRootProbe("GET", "/", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
    assert.ok(!isRootProbe("POST", "/", "application/json"));
    assert.ok(!isRootProbe("GET", "/logs", "application/json"));
  });
});
