// The request proxy answers a method a route does not export with 405 and
// Allow: Next.js's own 405 has no Allow, and QUERY would get an empty 400.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NextRequest } from "next/server";
import { proxy } from "@/proxy";

const send = (method: string, path: string) => proxy(new NextRequest(`http://localhost${path}`, { method }));

describe("a method the route does not answer", () => {
  it("gets 405 naming the route's methods, with an API answer's security headers", () => {
    for (const [method, path, allow] of [
      ["PUT", "/api/logs", "GET, HEAD, OPTIONS, POST"],
      ["QUERY", "/api/health", "GET, HEAD, OPTIONS"],
      ["GET", "/auth-logs/_bulk", "OPTIONS, POST"],
    ]) {
      const response = send(method!, path!);
      assert.equal(response.status, 405, `${method} ${path}`);
      assert.equal(response.headers.get("allow"), allow);
      assert.equal(response.headers.get("x-content-type-options"), "nosniff");
      assert.equal(response.headers.get("content-security-policy"), "default-src 'none'; frame-ancestors 'none'");
    }
  });

  it("passes the methods a route answers on to it", () => {
    for (const method of ["GET", "HEAD", "OPTIONS", "POST"])
      assert.notEqual(send(method, "/api/logs").status, 405, method);
  });
});
