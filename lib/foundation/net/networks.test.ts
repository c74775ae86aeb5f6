import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { canonicalIp, createIpClassifier, parseCidr, type Cidr } from "./networks";

const cidrs = (...texts: string[]) => texts.map((text) => parseCidr(text) as Cidr);

describe("parseCidr", () => {
  it("reads IPv4 and IPv6 ranges and lone addresses", () => {
    const ipv4 = (hex: string) => `00000000000000000000ffff${hex}`;
    assert.deepEqual(parseCidr("10.0.0.0/16"), {
      address: "10.0.0.0",
      prefix: 16,
      range: { low: ipv4("0a000000"), high: ipv4("0a00ffff") },
    });
    assert.deepEqual(parseCidr(" 2001:db8::/32 "), {
      address: "2001:db8::",
      prefix: 32,
      range: { low: `20010db8${"0".repeat(24)}`, high: `20010db8${"f".repeat(24)}` },
    });
    assert.deepEqual(parseCidr("192.0.2.1"), {
      address: "192.0.2.1",
      prefix: 32,
      range: { low: ipv4("c0000201"), high: ipv4("c0000201") },
    });
  });

  it("explains what is wrong", () => {
    assert.match(parseCidr("10.0.0.0/33") as string, /invalid prefix length \(expected 0 to 32\)/);
    assert.match(parseCidr("2001:db8::/129") as string, /expected 0 to 128/);
    assert.match(parseCidr("10.0.0/8") as string, /'10.0.0' is not an IPv4 or IPv6 address/);
    assert.match(parseCidr("10.0.0.0/8/9") as string, /invalid prefix length/);
    assert.match(parseCidr("10.0.0.1/16") as string, /did you mean 10.0.0.0\/16\?/);
  });
});

describe("canonicalIp", () => {
  it("compresses and lower-cases IPv6 and unwraps IPv4-mapped addresses", () => {
    assert.equal(canonicalIp("2001:DB8:0:0::1"), "2001:db8::1");
    assert.equal(canonicalIp("::FFFF:10.0.3.4"), "10.0.3.4");
    assert.equal(canonicalIp("::ffff:a00:304"), "10.0.3.4");
    assert.equal(canonicalIp("10.0.3.4"), "10.0.3.4");
    assert.equal(canonicalIp("not an address"), "not an address");
  });
});

describe("createIpClassifier", () => {
  const classify = createIpClassifier(cidrs("10.0.0.0/16", "2001:db8:1::/48"));

  it("allows addresses inside the IPv4 ranges, including their IPv4-mapped IPv6 forms", () => {
    assert.equal(classify("10.0.255.1").isAllowed, true);
    assert.equal(classify("::ffff:10.0.3.4").isAllowed, true);
    assert.equal(classify("10.1.0.1").isAllowed, false);
    assert.equal(classify("::ffff:10.1.0.1").isAllowed, false);
  });

  it("matches IPv6 ranges whatever the spelling", () => {
    assert.equal(classify("2001:DB8:1:ffff::5").isAllowed, true);
    assert.equal(classify("2001:db8:2::5").isAllowed, false);
  });

  it("never allows what is not an address", () => {
    assert.deepEqual(classify("localhost"), { key: "localhost", isAllowed: false });
    assert.equal(classify("10.0.0.1/32").isAllowed, false);
  });

  it("allows the unspecified address, which stands for no known client", () => {
    assert.equal(classify("0.0.0.0").isAllowed, true);
    assert.equal(classify("::").isAllowed, true);
  });

  it("covers every IPv4 address, mapped ones included, with 0.0.0.0/0 and no IPv6 one", () => {
    const everyIpv4 = createIpClassifier(cidrs("0.0.0.0/0"));
    assert.equal(everyIpv4("255.255.255.255").isAllowed, true);
    assert.equal(everyIpv4("::ffff:192.0.2.1").isAllowed, true);
    assert.equal(everyIpv4("2001:db8::1").isAllowed, false);
  });
});
