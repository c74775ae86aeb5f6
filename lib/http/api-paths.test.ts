import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isApiPath } from "./api-paths";

describe("isApiPath", () => {
  it("holds for our API and OTLP/HTTP's /v1/logs, not for pages", () => {
    assert.equal(isApiPath("/api/logs"), true);
    assert.equal(isApiPath("/v1/logs"), true);
    for (const page of ["/", "/logs", "/v1", "/apix", "/login"]) assert.equal(isApiPath(page), false, page);
  });
});
