import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ipKey } from "@/lib/net/ip";
import { logFilterQuery, matchesLogFilter, type MatchableLog } from "./query";

const T = new Date("2026-11-26T08:00:00.000Z");
const log = (overrides: Partial<MatchableLog> = {}): MatchableLog => ({
  time: T,
  ip: "10.0.3.7",
  user: "alice",
  action: "login",
  status: "failed",
  source: "auth-1",
  message: "Wrong password",
  ...overrides,
});

describe("logFilterQuery", () => {
  it("is empty without criteria", () => {
    assert.deepEqual(logFilterQuery({}), {});
  });

  it("bounds time inclusively and compares the exact fields by equality", () => {
    const to = new Date(T.getTime() + 1000);
    assert.deepEqual(logFilterQuery({ from: T, to, status: "failed", user: "alice", action: "login", source: "s" }), {
      time: { $gte: T, $lte: to },
      status: "failed",
      user: "alice",
      action: "login",
      source: "s",
    });
    assert.deepEqual(logFilterQuery({ to }), { time: { $lte: to } });
  });

  it("reads ip_key: equality for an address, a range for a CIDR range", () => {
    assert.deepEqual(logFilterQuery({ ip: "::ffff:10.0.3.7" }), { ip_key: ipKey("10.0.3.7") });
    assert.deepEqual(logFilterQuery({ ip: "10.0.3.0/24" }), { ip_key: { $gte: ipKey("10.0.3.0"), $lte: ipKey("10.0.3.255") } });
  });

  it("searches message, user and action with an escaped, case-insensitive pattern", () => {
    const condition = { $regex: "a\\.\\*\\(b\\|c\\)", $options: "i" };
    assert.deepEqual(logFilterQuery({ q: "a.*(b|c)" }), { $or: [{ message: condition }, { user: condition }, { action: condition }] });
  });

  it("keeps hostile text a plain string value", () => {
    assert.deepEqual(logFilterQuery({ user: '{"$ne":null}', action: "$where" }), { user: '{"$ne":null}', action: "$where" });
  });
});

describe("matchesLogFilter", () => {
  it("matches a log that meets every criterion", () => {
    assert.equal(matchesLogFilter(log(), { from: T, to: T, status: "failed", ip: "10.0.0.0/8", user: "alice", q: "PASS" }), true);
  });

  it("rejects a log failing any one criterion", () => {
    const criteria = [
      { from: new Date(T.getTime() + 1) },
      { to: new Date(T.getTime() - 1) },
      { status: "success" as const },
      { ip: "10.0.4.0/24" },
      { ip: "10.0.3.8" },
      { user: "Alice" },
      { action: "logout" },
      { source: "auth-2" },
      { q: "nothing" },
    ];
    for (const criterion of criteria) assert.equal(matchesLogFilter(log(), criterion), false, JSON.stringify(criterion));
  });

  it("searches user and action only when there is no message", () => {
    assert.equal(matchesLogFilter(log({ message: undefined }), { q: "LIC" }), true);
    assert.equal(matchesLogFilter(log({ message: undefined }), { q: "password" }), false);
  });

  it("never matches a source filter on a log without a source, nor an ip filter on a log without a valid ip", () => {
    assert.equal(matchesLogFilter(log({ source: undefined }), { source: "auth-1" }), false);
    assert.equal(matchesLogFilter(log({ ip: "not an ip" }), { ip: "::/0" }), false);
  });
});
