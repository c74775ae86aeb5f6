import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { forwardedClientIp } from "./client-ip";

describe("forwardedClientIp", () => {
  it("takes the right-most entry behind one proxy, not the left-most the client wrote", () => {
    assert.equal(forwardedClientIp("198.51.100.1, 203.0.113.9", 1), "203.0.113.9");
    assert.equal(forwardedClientIp("203.0.113.9", 1), "203.0.113.9");
    assert.equal(forwardedClientIp(" 2001:db8::7 ", 1), "2001:db8::7");
  });

  it("takes the entry the given number of hops from the right behind a chain of proxies", () => {
    assert.equal(forwardedClientIp("198.51.100.1, 203.0.113.9, 10.0.0.2", 2), "203.0.113.9");
    assert.equal(forwardedClientIp("203.0.113.9,10.0.0.2", 2), "203.0.113.9");
  });

  it("is unknown when the header is missing, too short, or a trusted entry is not a plain address", () => {
    assert.equal(forwardedClientIp(null, 1), undefined);
    assert.equal(forwardedClientIp("10.0.0.2", 2), undefined);
    for (const header of [
      "198.51.100.1, unknown",
      "198.51.100.1, 203.0.113.9:443",
      "198.51.100.1,",
      "203.0.113.9, 10.0.0.2, ",
    ]) {
      assert.equal(forwardedClientIp(header, 1), undefined, header);
    }
    assert.equal(forwardedClientIp("203.0.113.9, garbage, 10.0.0.2", 2), undefined);
    assert.equal(forwardedClientIp("203.0.113.9, 10.0.0.2, garbage", 2), undefined);
  });
});
