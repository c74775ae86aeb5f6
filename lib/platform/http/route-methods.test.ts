import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { allowForUnansweredMethod } from "./route-methods";

describe("allowForUnansweredMethod", () => {
  it("names the route's methods, with HEAD for a GET and OPTIONS, for any other method", () => {
    assert.equal(allowForUnansweredMethod("PUT", "/api/logs"), "GET, HEAD, OPTIONS, POST");
    assert.equal(allowForUnansweredMethod("QUERY", "/api/logs/syslog"), "OPTIONS, POST");
    assert.equal(allowForUnansweredMethod("HEAD", "/_bulk"), "OPTIONS, POST");
  });

  it("matches a path parameter within one segment, after the exact paths", () => {
    assert.equal(allowForUnansweredMethod("GET", "/api/keys/abc"), "DELETE, OPTIONS");
    assert.equal(allowForUnansweredMethod("GET", "/auth-logs/_bulk"), "OPTIONS, POST");
    assert.equal(allowForUnansweredMethod("GET", "/api/logs/export"), undefined);
    assert.equal(allowForUnansweredMethod("DELETE", "/api/keys/a/b"), undefined);
  });

  it("leaves the methods a route answers, and paths that are no route, to Next.js", () => {
    for (const method of ["GET", "HEAD", "OPTIONS", "POST"])
      assert.equal(allowForUnansweredMethod(method, "/api/logs"), undefined);
    assert.equal(allowForUnansweredMethod("PUT", "/api/nothing-here"), undefined);
    assert.equal(allowForUnansweredMethod("PUT", "/logs"), undefined);
  });
});
