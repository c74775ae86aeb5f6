import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ipKey } from "@/lib/foundation/net/ip";
import type { LogCriteria } from "./filters";
import { logFilterQuery, matchesLogFilter, type MatchableLog } from "./criteria-query";

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
    assert.deepEqual(
      logFilterQuery({ from: T, to, status: ["failed"], user: ["alice"], action: ["login"], source: ["s"] }),
      {
        time: { $gte: T, $lte: to },
        status: "failed",
        user: "alice",
        action: "login",
        source: "s",
      },
    );
    assert.deepEqual(logFilterQuery({ to }), { time: { $lte: to } });
  });

  it("reads ip_key: equality for an address, a range for a CIDR range", () => {
    assert.deepEqual(logFilterQuery({ ip: ["::ffff:10.0.3.7"] }), { ip_key: ipKey("10.0.3.7") });
    assert.deepEqual(logFilterQuery({ ip: ["10.0.3.0/24"] }), {
      ip_key: { $gte: ipKey("10.0.3.0"), $lte: ipKey("10.0.3.255") },
    });
  });

  it("searches message, user and action with an escaped, case-insensitive pattern", () => {
    const condition = { $regex: "a\\.\\*\\(b\\|c\\)", $options: "i" };
    assert.deepEqual(logFilterQuery({ q: "a.*(b|c)" }), {
      $or: [{ message: condition }, { user: condition }, { action: condition }],
    });
  });

  it("keeps hostile text a plain string value", () => {
    assert.deepEqual(logFilterQuery({ user: ['{"$ne":null}'], action: ["$where"] }), {
      user: '{"$ne":null}',
      action: "$where",
    });
  });
});

describe("matchesLogFilter", () => {
  it("matches a log that meets every criterion", () => {
    assert.equal(
      matchesLogFilter(log(), { from: T, to: T, status: ["failed"], ip: ["10.0.0.0/8"], user: ["alice"], q: "PASS" }),
      true,
    );
  });

  it("rejects a log failing any one criterion", () => {
    const criteria: LogCriteria[] = [
      { from: new Date(T.getTime() + 1) },
      { to: new Date(T.getTime() - 1) },
      { status: ["success"] },
      { ip: ["10.0.4.0/24"] },
      { ip: ["10.0.3.8"] },
      { user: ["Alice"] },
      { action: ["logout"] },
      { source: ["auth-2"] },
      { q: "nothing" },
    ];
    for (const criterion of criteria)
      assert.equal(matchesLogFilter(log(), criterion), false, JSON.stringify(criterion));
  });

  it("searches user and action only when there is no message", () => {
    assert.equal(matchesLogFilter(log({ message: undefined }), { q: "LIC" }), true);
    assert.equal(matchesLogFilter(log({ message: undefined }), { q: "password" }), false);
  });

  it("never matches a source filter on a log without a source, nor an ip filter on a log without a valid ip", () => {
    assert.equal(matchesLogFilter(log({ source: undefined }), { source: ["auth-1"] }), false);
    assert.equal(matchesLogFilter(log({ ip: "not an ip" }), { ip: ["::/0"] }), false);
  });
});

describe("several values, exclusions and metadata", () => {
  it("asks for any of several values with $in and for none of the excluded ones with $ne or $nin", () => {
    assert.deepEqual(
      logFilterQuery({ user: ["a", "b"], exclude: { user: ["c"], action: ["x", "y"], status: ["failed"] } }),
      {
        status: { $ne: "failed" },
        user: { $in: ["a", "b"], $ne: "c" },
        action: { $nin: ["x", "y"] },
      },
    );
  });

  it("reads several ip ranges as alternatives and keeps each excluded range outside, next to the text search", () => {
    const [a, b] = [ipKey("10.0.3.7"), ipKey("10.0.4.1")];
    assert.deepEqual(logFilterQuery({ ip: ["10.0.3.7", "10.0.4.1"], exclude: { ip: ["10.0.4.0/24"] }, q: "x" }), {
      $and: [
        { $or: [{ ip_key: a }, { ip_key: b }] },
        {
          $or: [
            { ip_key: { $lt: ipKey("10.0.4.0") } },
            { ip_key: { $gt: ipKey("10.0.4.255") } },
            { ip_key: { $exists: false } },
          ],
        },
        {
          $or: [
            { message: { $regex: "x", $options: "i" } },
            { user: { $regex: "x", $options: "i" } },
            { action: { $regex: "x", $options: "i" } },
          ],
        },
      ],
    });
  });

  it("compares a metadata key by its dotted path, a number's or boolean's JSON text standing for it too", () => {
    assert.deepEqual(
      logFilterQuery({
        meta: { "event.outcome": ["failure"], port: ["22", "022"], mfa: ["true"] },
        exclude: { meta: { "host.name": ["db-1", "1.5"] } },
      }),
      {
        "metadata.event.outcome": "failure",
        "metadata.port": { $in: ["22", 22, "022"] },
        "metadata.mfa": { $in: ["true", true] },
        "metadata.host.name": { $nin: ["db-1", "1.5", 1.5] },
      },
    );
  });

  it("reads a metadata key named like an Object.prototype member only from the list that gives it", () => {
    const criteria: LogCriteria = {
      meta: { toString: ["$where"] },
      exclude: { meta: { valueOf: ["x"], note: ["y"] } },
    };
    assert.deepEqual(logFilterQuery(criteria), {
      "metadata.toString": "$where",
      "metadata.valueOf": { $ne: "x" },
      "metadata.note": { $ne: "y" },
    });
    assert.equal(matchesLogFilter(log({ metadata: { toString: "$where" } }), criteria), true);
    assert.equal(matchesLogFilter(log({ metadata: { toString: "$where", valueOf: "x" } }), criteria), false);
  });

  it("matches any of several values and none of the excluded ones", () => {
    assert.equal(matchesLogFilter(log(), { user: ["bob", "alice"], action: ["login"] }), true);
    assert.equal(matchesLogFilter(log(), { user: ["bob", "carol"] }), false);
    assert.equal(matchesLogFilter(log(), { exclude: { user: ["bob"], status: ["success"] } }), true);
    assert.equal(matchesLogFilter(log(), { exclude: { user: ["bob", "alice"] } }), false);
    assert.equal(matchesLogFilter(log(), { user: ["alice"], exclude: { user: ["alice"] } }), false);
    assert.equal(
      matchesLogFilter(log(), { ip: ["192.168.0.0/16", "10.0.3.0/24"], exclude: { ip: ["10.0.4.0/24"] } }),
      true,
    );
    assert.equal(matchesLogFilter(log(), { exclude: { ip: ["10.0.0.0/8"] } }), false);
    assert.equal(matchesLogFilter(log(), { exclude: { ip: ["::ffff:10.0.3.7"] } }), false);
  });

  it("never excludes a log without the field, an address included, and never matches one by an address filter", () => {
    assert.equal(matchesLogFilter(log({ source: undefined }), { exclude: { source: ["auth-1"] } }), true);
    assert.equal(matchesLogFilter(log({ ip: undefined }), { exclude: { ip: ["10.0.0.0/8"] } }), true);
    assert.equal(matchesLogFilter(log({ ip: undefined }), { ip: ["0.0.0.0/0"] }), false);
    assert.equal(matchesLogFilter(log({ ip: "not an ip" }), { exclude: { ip: ["10.0.0.0/8"] } }), true);
  });

  it("walks nested metadata objects and compares numbers and booleans by their JSON text", () => {
    const metadata = { port: 22, ratio: 1.5, mfa: true, method: "password", event: { outcome: "failure" } };
    const matches = (criteria: LogCriteria) => matchesLogFilter(log({ metadata }), criteria);
    assert.equal(matches({ meta: { port: ["22"] } }), true);
    assert.equal(matches({ meta: { port: ["22.0"] } }), false);
    assert.equal(matches({ meta: { ratio: ["1.5"] } }), true);
    assert.equal(matches({ meta: { mfa: ["true"] } }), true);
    assert.equal(matches({ meta: { mfa: ["1"] } }), false);
    assert.equal(matches({ meta: { method: ["password", "key"] } }), true);
    assert.equal(matches({ meta: { "event.outcome": ["failure"] } }), true);
    assert.equal(matches({ meta: { event: ["[object Object]"] } }), false);
    assert.equal(matches({ meta: { "method.length": ["8"] } }), false);
    assert.equal(matches({ meta: { "port.x": ["22"] } }), false);
    assert.equal(matches({ exclude: { meta: { port: ["22"] } } }), false);
    assert.equal(matches({ exclude: { meta: { "host.name": ["db-1"] } } }), true);
    assert.equal(matchesLogFilter(log(), { exclude: { meta: { port: ["22"] } } }), true);
    assert.equal(matchesLogFilter(log(), { meta: { port: ["22"] } }), false);
  });
});
