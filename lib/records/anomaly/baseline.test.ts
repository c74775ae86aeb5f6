import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { baselineRange, createBaselineBuilder, type UserBaseline } from "./baseline";
import { createDetector, detectAnomalies } from "./detector";
import type { DetectableLog, FindingType } from "./finding";
import { makeLog, quietConfig } from "./logs.fixture";

const config = quietConfig();

/** `count` successful events of alice from 10.0.1.5, spread over `days` days in January (hours 09-16). */
function history(count: number, days: number, extra: DetectableLog[] = []): UserBaseline {
  const builder = createBaselineBuilder(config);
  for (let i = 0; i < count; i++) {
    const day = String(1 + (i % days)).padStart(2, "0");
    builder.push(makeLog({ at: `2025-01-${day}T${String(9 + (i % 8)).padStart(2, "0")}:00:00Z` }));
  }
  for (const log of extra) builder.push(log);
  return builder.build();
}

const found = (logs: DetectableLog[], baseline: UserBaseline, type: FindingType) =>
  detectAnomalies(logs, config, baseline).filter((finding) => finding.type === type);

describe("createBaselineBuilder", () => {
  it("keeps per user the successful events, distinct days, hour histogram and canonical IPs", () => {
    const baseline = history(24, 3, [
      makeLog({ at: "2025-01-02T03:00:00Z", ip: "::FFFF:10.0.1.6" }),
      makeLog({ status: "failed", ip: "203.0.113.9" }),
    ]);
    const alice = baseline.users.get("alice")!;
    assert.equal(alice.events, 25);
    assert.equal(alice.days, 3);
    assert.equal(alice.hourCounts[9], 3);
    assert.equal(alice.hourCounts[3], 1);
    assert.deepEqual([...alice.ips], ["10.0.1.5", "10.0.1.6"]);
    assert.equal(baseline.timeZone, "UTC");
  });

  it("reads the 14 days before the analysed range by default", () => {
    const { start, end } = baselineRange(new Date("2025-01-15T00:00:00Z"), config);
    assert.deepEqual(
      [start.toISOString(), end.toISOString()],
      ["2025-01-01T00:00:00.000Z", "2025-01-15T00:00:00.000Z"],
    );
  });
});

describe("new_ip_for_user", () => {
  it("flags a success from an address the user's history lacks, not from a known one (in any spelling)", () => {
    const baseline = history(20, 3);
    const logs = [
      makeLog({ at: "10:00", ip: "10.0.1.5" }),
      makeLog({ at: "10:01", ip: "::ffff:10.0.1.5" }),
      makeLog({ at: "10:02", ip: "10.0.7.7" }),
    ];
    const [finding, ...rest] = found(logs, baseline, "new_ip_for_user");
    assert.equal(rest.length, 0);
    assert.deepEqual([finding?.user, finding?.ip, finding?.severity], ["alice", "10.0.7.7", "medium"]);
    assert.equal(
      finding?.explanation,
      '1 successful event by user "alice" from 10.0.7.7, an address not among the 1 address of their 14-day history',
    );
  });

  it("ignores failures from new addresses (attackers' attempts are the burst rules' business)", () => {
    assert.equal(found([makeLog({ status: "failed", ip: "10.0.7.7" })], history(20, 3), "new_ip_for_user").length, 0);
  });

  it("needs a history of 20 events on 3 days before firing", () => {
    const log = makeLog({ ip: "10.0.7.7", at: "03:00" });
    assert.equal(found([log], history(19, 3), "new_ip_for_user").length, 0);
    assert.equal(found([log], history(20, 2), "new_ip_for_user").length, 0);
    assert.equal(found([log], history(20, 3), "rare_hour_for_user").length, 1);
    assert.equal(detectAnomalies([log], config).length, 0);
  });
});

describe("rare_hour_for_user", () => {
  it("flags a success in an hour of day the user's history never saw", () => {
    const [finding] = found(
      [makeLog({ at: "03:15" }), makeLog({ at: "03:20" }), makeLog({ at: "10:00" })],
      history(20, 3),
      "rare_hour_for_user",
    );
    assert.deepEqual([finding?.user, finding?.count, finding?.severity], ["alice", 2, "low"]);
    assert.equal(
      finding?.explanation,
      '2 successful events by user "alice" within 5 min in the hour from 03:00 UTC, which holds none of their 20 history events (rare below 2%)',
    );
  });

  it("flags an hour holding less than 2% of the history, not one holding exactly 2%", () => {
    const once = history(99, 5, [makeLog({ at: "2025-01-03T03:00:00Z" })]);
    const twice = history(98, 5, [makeLog({ at: "2025-01-03T03:00:00Z" }), makeLog({ at: "2025-01-04T03:00:00Z" })]);
    assert.equal(found([makeLog({ at: "03:30" })], once, "rare_hour_for_user").length, 1);
    assert.equal(found([makeLog({ at: "03:30" })], twice, "rare_hour_for_user").length, 0);
  });

  it("refuses a baseline counted in another time zone", () => {
    assert.throws(
      () => createDetector(quietConfig({ timeZone: "Europe/Berlin" }), { baseline: history(20, 3) }),
      /baseline counts hours in UTC/,
    );
  });
});
