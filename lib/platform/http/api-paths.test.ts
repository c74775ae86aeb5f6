import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isApiPath } from "./api-paths";

describe("isApiPath", () => {
  it("holds for our API, OTLP/HTTP's /v1/logs and the Elasticsearch paths, not for pages", () => {
    assert.equal(isApiPath("/api/logs"), true);
    assert.equal(isApiPath("/v1/logs"), true);
    for (const path of ["/_bulk", "/auth/_bulk", "/_cat/health", "/_index_template/filebeat"])
      assert.equal(isApiPath(path), true, path);
    for (const page of ["/", "/logs", "/v1", "/apix", "/login", "/logs/evt_1"])
      assert.equal(isApiPath(page), false, page);
  });
});
