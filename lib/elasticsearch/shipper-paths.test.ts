import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isRootProbe, isShipperPath } from "./shipper-paths";

describe("shipper paths", () => {
  it("are the paths with a segment starting with '_', which no page has", () => {
    for (const path of ["/_bulk", "/auth/_bulk", "/_cat/health", "/_index_template/filebeat"]) assert.ok(isShipperPath(path), path);
    for (const path of ["/", "/logs", "/logs/evt_1", "/dashboard", "/api/logs"]) assert.ok(!isShipperPath(path), path);
  });

  it("send the root to the version answer unless the client wants HTML", () => {
    assert.ok(isRootProbe("GET", "/", null));
    assert.ok(isRootProbe("HEAD", "/", "*/*"));
    assert.ok(isRootProbe("GET", "/", "application/json"));
    assert.ok(!isRootProbe("GET", "/", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
    assert.ok(!isRootProbe("POST", "/", "application/json"));
    assert.ok(!isRootProbe("GET", "/logs", "application/json"));
  });
});
