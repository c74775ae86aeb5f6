import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Finding } from "@/lib/records/anomaly";
import { describeIssues } from "@/lib/platform/http/validation";
import {
  createSuppressionMatcher,
  ruleOf,
  ruleStateAt,
  SuppressionRuleCreate,
  type SuppressionRule,
} from "./suppression-rules";

const NOW = new Date("2026-12-07T12:00:00Z");
const DAY = 86_400_000;

function makeRule(fields: Partial<SuppressionRuleCreate> & { id?: string; at?: Date } = {}): SuppressionRule {
  const { id = "rule-1", at = NOW, ...input } = fields;
  return ruleOf(SuppressionRuleCreate.parse({ reason: "expected", ...input }), id, "ana@example.com", at);
}

function makeFinding(fields: Partial<Finding> = {}): Finding {
  return {
    type: "unknown_network",
    severity: "medium",
    ip: "203.0.113.9",
    start: NOW,
    end: NOW,
    count: 1,
    log_ids: ["a"],
    explanation: "x",
    ...fields,
  };
}

const mutedBy = (rules: SuppressionRule[], finding: Finding, at = new Date(NOW.getTime() + 1)) =>
  createSuppressionMatcher(rules, at)(finding);

describe("SuppressionRuleCreate", () => {
  it("names each bad field", () => {
    const result = SuppressionRuleCreate.safeParse({
      type: "brute_force",
      ip: "203.0.113.5/24",
      reason: " ",
      expires_in_days: 0,
      extra: true,
    });
    assert.equal(result.success, false);
    const problems = describeIssues(result.error!.issues);
    assert.deepEqual(problems.map((problem) => problem.field).sort(), [
      "expires_in_days",
      "extra",
      "ip",
      "reason",
      "type",
    ]);
    assert.match(problems.find((problem) => problem.field === "ip")!.message, /did you mean 203\.0\.113\.0\/24/);
  });

  it("needs a subject, and keeps source for source_silent findings alone", () => {
    const fieldsOf = (input: object) =>
      describeIssues(SuppressionRuleCreate.safeParse({ reason: "r", ...input }).error?.issues ?? []).map(
        (problem) => problem.field,
      );
    assert.deepEqual(fieldsOf({ type: "failure_burst" }), ["ip"]);
    assert.deepEqual(fieldsOf({ source: "billing", user: "bob" }), ["source"]);
    assert.deepEqual(fieldsOf({ source: "billing", type: "failure_burst" }), ["source"]);
    assert.deepEqual(fieldsOf({ source: "billing", type: "source_silent" }), []);
    assert.deepEqual(fieldsOf({ user: "bob", ip: "2001:DB8::/32" }), []);
  });

  it("stores any type as null, the range lower-cased and the expiry as a time", () => {
    const rule = makeRule({ ip: " 2001:DB8::/32 ", expires_in_days: 7 });
    assert.deepEqual(
      [rule.type, rule.ip, rule.user, rule.source, rule.expires_at],
      [null, "2001:db8::/32", null, null, new Date(NOW.getTime() + 7 * DAY)],
    );
    assert.equal(makeRule({ ip: "203.0.113.0/24" }).expires_at, null, "never expires without a number of days");
  });
});

describe("createSuppressionMatcher", () => {
  it("covers the addresses of an IPv4 CIDR range and nothing outside it", () => {
    const rules = [makeRule({ type: "unknown_network", ip: "203.0.113.0/24" })];
    assert.equal(mutedBy(rules, makeFinding({ ip: "203.0.113.0" })), "rule-1");
    assert.equal(mutedBy(rules, makeFinding({ ip: "203.0.113.255" })), "rule-1");
    assert.equal(mutedBy(rules, makeFinding({ ip: "203.0.114.0" })), undefined);
    assert.equal(mutedBy(rules, makeFinding({ ip: "203.0.113.9", type: "failure_burst" })), undefined, "another type");
    assert.equal(
      mutedBy(rules, makeFinding({ ip: undefined, user: "bob" })),
      undefined,
      "a finding without an address",
    );
  });

  it("covers IPv6 ranges, and an IPv4 range covers the IPv4-mapped form of its addresses", () => {
    const v6 = [makeRule({ ip: "2001:db8:bad::/48" })];
    assert.equal(mutedBy(v6, makeFinding({ ip: "2001:db8:bad::1" })), "rule-1");
    assert.equal(mutedBy(v6, makeFinding({ ip: "2001:db8:bad:ffff:ffff:ffff:ffff:ffff" })), "rule-1");
    assert.equal(mutedBy(v6, makeFinding({ ip: "2001:db8:bae::1" })), undefined);
    assert.equal(mutedBy([makeRule({ ip: "10.1.0.0/16" })], makeFinding({ ip: "::ffff:10.1.2.3" })), "rule-1");
    assert.equal(
      mutedBy([makeRule({ ip: "203.0.113.7" })], makeFinding({ ip: "203.0.113.7" })),
      "rule-1",
      "a lone address",
    );
    assert.equal(mutedBy(v6, makeFinding({ ip: "not-an-address" })), undefined);
  });

  it("needs every part a rule names: user, and ip with user", () => {
    const user = [makeRule({ user: "svc-backup" })];
    assert.equal(
      mutedBy(user, makeFinding({ type: "new_ip_for_user", ip: "198.51.100.4", user: "svc-backup" })),
      "rule-1",
    );
    assert.equal(mutedBy(user, makeFinding({ type: "off_hours", ip: undefined, user: "svc-backup" })), "rule-1");
    assert.equal(mutedBy(user, makeFinding({ user: "svc-backups" })), undefined);
    const both = [makeRule({ user: "svc-backup", ip: "198.51.100.0/24" })];
    assert.equal(mutedBy(both, makeFinding({ ip: "198.51.100.4", user: "svc-backup" })), "rule-1");
    assert.equal(mutedBy(both, makeFinding({ ip: "198.51.100.4", user: "alice" })), undefined);
    assert.equal(mutedBy(both, makeFinding({ ip: undefined, user: "svc-backup" })), undefined);
  });

  it("mutes a silent source by its name", () => {
    const rules = [makeRule({ source: "nightly-batch", type: "source_silent" })];
    assert.equal(
      mutedBy(rules, makeFinding({ type: "source_silent", ip: undefined, source: "nightly-batch" })),
      "rule-1",
    );
    assert.equal(mutedBy(rules, makeFinding({ type: "source_silent", ip: undefined, source: "billing" })), undefined);
  });

  it("judges at the given time: not before the rule was created, not from its expiry or its removal on", () => {
    const rule = makeRule({ ip: "203.0.113.0/24", expires_in_days: 1 });
    const finding = makeFinding();
    assert.equal(mutedBy([rule], finding, new Date(NOW.getTime() - 1)), undefined, "before the rule");
    assert.equal(mutedBy([rule], finding, NOW), "rule-1");
    assert.equal(mutedBy([rule], finding, new Date(NOW.getTime() + DAY - 1)), "rule-1");
    assert.equal(mutedBy([rule], finding, new Date(NOW.getTime() + DAY)), undefined, "expired");
    const removed = { ...rule, removed_at: new Date(NOW.getTime() + 60_000) };
    assert.equal(
      mutedBy([removed], finding, new Date(NOW.getTime() + 59_999)),
      "rule-1",
      "a checkpoint signed before the removal",
    );
    assert.equal(mutedBy([removed], finding, new Date(NOW.getTime() + 60_000)), undefined);
    assert.deepEqual(
      [NOW.getTime() - 1, NOW.getTime(), NOW.getTime() + DAY, NOW.getTime() + 2 * DAY].map((time) =>
        ruleStateAt(removed, new Date(time)),
      ),
      ["pending", "active", "removed", "removed"],
    );
  });

  it("names the earliest-created of several covering rules", () => {
    const later = makeRule({ id: "later", ip: "203.0.113.9", at: new Date(NOW.getTime() - 1_000) });
    const earlier = makeRule({ id: "earlier", ip: "203.0.113.0/24", at: new Date(NOW.getTime() - 5_000) });
    assert.equal(mutedBy([later, earlier], makeFinding()), "earlier");
  });
});
