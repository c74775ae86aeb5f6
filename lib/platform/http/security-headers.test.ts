import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { contentSecurityPolicy, securityHeaders } from "./security-headers";

describe("contentSecurityPolicy", () => {
  it("allows scripts only from us and by this request's nonce, and forbids framing and plugins", () => {
    const csp = contentSecurityPolicy("abc123");
    assert.match(csp, /script-src 'self' 'nonce-abc123' 'strict-dynamic'/);
    assert.doesNotMatch(csp, /script-src[^;]*unsafe-inline/);
    for (const directive of [
      "default-src 'self'",
      "frame-ancestors 'none'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
    ]) {
      assert.ok(csp.includes(directive), directive);
    }
  });
});

describe("securityHeaders", () => {
  it("sends HSTS only over HTTPS", () => {
    assert.equal(securityHeaders(false)["Strict-Transport-Security"], undefined);
    assert.match(securityHeaders(true)["Strict-Transport-Security"]!, /max-age=31536000/);
    assert.equal(securityHeaders(false)["X-Content-Type-Options"], "nosniff");
  });
});
