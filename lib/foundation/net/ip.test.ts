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
    for (const spelling of ["2001:db8::1", "2001:DB8:0:0:0:0:0:1", "2001:0db8::0:1"])
      assert.equal(ipKey(spelling), key);
    assert.equal(ipKey("::"), "0".repeat(32));
    assert.equal(ipKey("::1"), `${"0".repeat(31)}1`);
    assert.equal(ipKey("1::"), `0001${"0".repeat(28)}`);
    assert.equal(ipKey("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), "f".repeat(32));
    assert.equal(ipKey("1:2:3:4:5:6:1.2.3.4"), "00010002000300040005000601020304");
  });

  it("orders keys as the addresses are ordered", () => {
    const ordered = [
      "::",
      "::1",
      "0.0.0.0",
      "9.255.255.255",
      "10.0.0.0",
      "10.0.0.10",
      "10.0.0.200",
      "255.255.255.255",
      "2001:db8::",
      "fe80::1",
    ];
    const keys = ordered.map(ipKey);
    assert.deepEqual([...keys].sort(), keys);
  });

  it("refuses what is not one address", () => {
    for (const bad of [
      "",
      "10.0.0",
      "10.0.0.256",
      "010.0.0.1",
      "1::2::3",
      "fe80::1%eth0",
      " 10.0.0.1",
      "10.0.0.0/8",
      "localhost",
      '{"$ne":null}',
    ]) {
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
    assert.deepEqual(cidrKeyRange("2001:db8::/32"), {
      low: ipKey("2001:db8::"),
      high: ipKey("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"),
    });
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
    assert.throws(
      () => cidrKeyRange("10.0.3.5/24"),
      /'10.0.3.5\/24' has bits set after the prefix; did you mean 10.0.3.0\/24\?/,
    );
    assert.throws(() => cidrKeyRange("2001:db8::1/32"), /did you mean 2001:db8::\/32\?/);
    for (const bad of [
      "10.0.0.0/33",
      "10.0.0.0/",
      "10.0.0.0/08",
      "10.0.0.0/-1",
      "::/129",
      "10.0.0.0/8/8",
      "10.0.0.0",
    ]) {
      assert.throws(() => cidrKeyRange(bad), InvalidIpError, bad);
    }
  });

  it("reads an address or a range through ipKeyRange", () => {
    assert.deepEqual(ipKeyRange("10.0.0.1"), { low: ipKey("10.0.0.1"), high: ipKey("10.0.0.1") });
    assert.deepEqual(ipKeyRange("10.0.0.0/31"), { low: ipKey("10.0.0.0"), high: ipKey("10.0.0.1") });
  });
});

// Computed with the BigInt parser, not IPv4's own path: keys are stored and compared.
const PINNED_KEYS: [string, string][] = [
  ["0.0.0.0", "00000000000000000000ffff00000000"],
  ["0.0.0.1", "00000000000000000000ffff00000001"],
  ["1.2.3.4", "00000000000000000000ffff01020304"],
  ["10.0.3.7", "00000000000000000000ffff0a000307"],
  ["127.0.0.1", "00000000000000000000ffff7f000001"],
  ["128.0.0.0", "00000000000000000000ffff80000000"],
  ["192.168.255.254", "00000000000000000000ffffc0a8fffe"],
  ["255.255.255.255", "00000000000000000000ffffffffffff"],
  ["::ffff:0.0.0.0", "00000000000000000000ffff00000000"],
  ["::ffff:255.255.255.255", "00000000000000000000ffffffffffff"],
  ["::FFFF:c0a8:101", "00000000000000000000ffffc0a80101"],
  ["0:0:0:0:0:ffff:203.0.113.9", "00000000000000000000ffffcb007109"],
  ["::ffff:ffff:ffff", "00000000000000000000ffffffffffff"],
  ["::fffe:10.0.0.1", "00000000000000000000fffe0a000001"],
  ["::10.0.0.1", "0000000000000000000000000a000001"],
  ["::", "00000000000000000000000000000000"],
  ["::1", "00000000000000000000000000000001"],
  ["1::", "00010000000000000000000000000000"],
  ["2001:db8::", "20010db8000000000000000000000000"],
  ["2001:DB8:0:0:0:0:0:1", "20010db8000000000000000000000001"],
  ["fe80::1:2:3:4", "fe800000000000000001000200030004"],
  ["ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffffffffffffffffffffffffffffffff"],
  ["1:2:3:4:5:6:1.2.3.4", "00010002000300040005000601020304"],
  ["2001:db8:1::ab9:C0A8:102", "20010db80001000000000ab9c0a80102"],
];

const PINNED_REFUSALS: [string, string][] = [
  ["", "'' is not an IPv4 or IPv6 address"],
  ["1.2.3", "'1.2.3' is not an IPv4 or IPv6 address"],
  ["1.2.3.4.5", "'1.2.3.4.5' is not an IPv4 or IPv6 address"],
  ["256.0.0.1", "'256.0.0.1' is not an IPv4 or IPv6 address"],
  ["01.2.3.4", "'01.2.3.4' is not an IPv4 or IPv6 address"],
  ["1.2.3.4 ", "'1.2.3.4 ' is not an IPv4 or IPv6 address"],
  ["١.٢.٣.٤", "'١.٢.٣.٤' is not an IPv4 or IPv6 address"],
  ["::ffff:1.2.3.256", "'::ffff:1.2.3.256' is not an IPv4 or IPv6 address"],
  ["fe80::1%eth0", "'fe80::1%eth0' is not an IPv4 or IPv6 address"],
  ["1.2.3.4/32", "'1.2.3.4/32' is not an IPv4 or IPv6 address"],
  ["1:2:3:4:5:6:7:8:9", "'1:2:3:4:5:6:7:8:9' is not an IPv4 or IPv6 address"],
];

describe("ipKey, pinned", () => {
  it("gives every IPv4, IPv4-mapped and IPv6 spelling its pinned key", () => {
    for (const [address, key] of PINNED_KEYS) assert.equal(ipKey(address), key, address);
  });

  it("gives every IPv4 address the key of its number in ::ffff:0:0/96", () => {
    for (let n = 0; n < 2 ** 32; n += 16_777_259) {
      const address = [24, 16, 8, 0].map((shift) => (n >>> shift) & 0xff).join(".");
      assert.equal(ipKey(address), `00000000000000000000ffff${n.toString(16).padStart(8, "0")}`, address);
    }
  });

  it("refuses with the pinned message", () => {
    for (const [address, message] of PINNED_REFUSALS)
      assert.throws(() => ipKey(address), { name: "InvalidIpError", message }, address);
  });
});
