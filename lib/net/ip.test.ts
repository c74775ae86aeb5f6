import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cidrKeyRange, InvalidIpError, ipKey, ipKeyRange, isInCidr } from "./ip";

describe("ipKey", () => {
  it("maps IPv4 into ::ffff:0:0/96 as 32 lowercase hex digits", () => {
    assert.equal(ipKey("10.0.3.7"), "00000000000000000000ffff0a000307");
    assert.equal(ipKey("0.0.0.0"), "00000000000000000000ffff00000000");
  });

  it("gives an IPv4-mapped IPv6 address the key of the IPv4 address, in any spelling", () => {
    for (const spelling of ["::ffff:10.0.0.1", "::FFFF:a00:1", "0:0:0:0:0:ffff:10.0.0.1"]) {
      assert.equal(ipKey(spelling), ipKey("10.0.0.1"), spelling);
    }
  });

  it("expands every IPv6 spelling to the same key", () => {
    const key = "20010db8000000000000000000000001";
    for (const spelling of ["2001:db8::1", "2001:DB8:0:0:0:0:0:1", "2001:0db8::0:1"]) assert.equal(ipKey(spelling), key);
    assert.equal(ipKey("::"), "0".repeat(32));
    assert.equal(ipKey("::1"), `${"0".repeat(31)}1`);
    assert.equal(ipKey("1::"), `0001${"0".repeat(28)}`);
    assert.equal(ipKey("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), "f".repeat(32));
    assert.equal(ipKey("1:2:3:4:5:6:1.2.3.4"), "00010002000300040005000601020304");
  });

  it("orders keys as the addresses are ordered", () => {
    const ordered = ["::", "::1", "0.0.0.0", "9.255.255.255", "10.0.0.0", "10.0.0.10", "10.0.0.200", "255.255.255.255", "2001:db8::", "fe80::1"];
    const keys = ordered.map(ipKey);
    assert.deepEqual([...keys].sort(), keys);
  });

  it("refuses what is not one address", () => {
    for (const bad of ["", "10.0.0", "10.0.0.256", "010.0.0.1", "1::2::3", "fe80::1%eth0", " 10.0.0.1", "10.0.0.0/8", "localhost", '{"$ne":null}']) {
      assert.throws(() => ipKey(bad), InvalidIpError, bad);
    }
  });
});

describe("cidrKeyRange and isInCidr", () => {
  it("turns an IPv4 range into the key range of its first and last address", () => {
    assert.deepEqual(cidrKeyRange("10.0.3.0/24"), { low: ipKey("10.0.3.0"), high: ipKey("10.0.3.255") });
    assert.deepEqual(cidrKeyRange("10.0.3.7/32"), { low: ipKey("10.0.3.7"), high: ipKey("10.0.3.7") });
    assert.deepEqual(cidrKeyRange("0.0.0.0/0"), { low: ipKey("0.0.0.0"), high: ipKey("255.255.255.255") });
  });

  it("turns an IPv6 range, including an IPv4-mapped one, into its key range", () => {
    assert.deepEqual(cidrKeyRange("2001:db8::/32"), { low: ipKey("2001:db8::"), high: ipKey("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff") });
    assert.deepEqual(cidrKeyRange("::ffff:10.0.0.0/104"), cidrKeyRange("10.0.0.0/8"));
    assert.deepEqual(cidrKeyRange("::/0"), { low: "0".repeat(32), high: "f".repeat(32) });
  });

  it("tells whether an address is in a range, across both spellings of IPv4", () => {
    assert.equal(isInCidr("10.0.3.200", "10.0.3.0/24"), true);
    assert.equal(isInCidr("10.0.4.0", "10.0.3.0/24"), false);
    assert.equal(isInCidr("::ffff:10.0.3.9", "10.0.3.0/24"), true);
    assert.equal(isInCidr("10.0.3.9", "::ffff:10.0.3.0/120"), true);
    assert.equal(isInCidr("2001:db8:1::5", "2001:db8::/32"), true);
    assert.equal(isInCidr("2001:db9::", "2001:db8::/32"), false);
    // An IPv4 range never holds an IPv6 address outside ::ffff:0:0/96.
    assert.equal(isInCidr("::a00:1", "10.0.0.0/8"), false);
  });

  it("explains a bad prefix and suggests the network for bits set after the prefix", () => {
    assert.throws(() => cidrKeyRange("10.0.3.5/24"), /'10.0.3.5\/24' has bits set after the prefix; did you mean 10.0.3.0\/24\?/);
    assert.throws(() => cidrKeyRange("2001:db8::1/32"), /did you mean 2001:db8::\/32\?/);
    for (const bad of ["10.0.0.0/33", "10.0.0.0/", "10.0.0.0/08", "10.0.0.0/-1", "::/129", "10.0.0.0/8/8", "10.0.0.0"]) {
      assert.throws(() => cidrKeyRange(bad), InvalidIpError, bad);
    }
  });

  it("reads an address or a range through ipKeyRange", () => {
    assert.deepEqual(ipKeyRange("10.0.0.1"), { low: ipKey("10.0.0.1"), high: ipKey("10.0.0.1") });
    assert.deepEqual(ipKeyRange("10.0.0.0/31"), { low: ipKey("10.0.0.0"), high: ipKey("10.0.0.1") });
  });
});
