import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseDetectionConfig } from "@/lib/foundation/detection-config";
import { detectAnomalies } from "./detector";
import type { DetectableLog, FindingType } from "./finding";
import { failures, makeLog, quietConfig } from "./logs.fixture";

const found = (logs: DetectableLog[], type: FindingType, config = quietConfig()) =>
  detectAnomalies(logs, config).filter((f) => f.type === type);
const burst = (fields: Partial<DetectableLog> = {}) => failures(["10:00", "10:01", "10:02", "10:03", "10:04"], fields);

describe("success_after_failures", () => {
  it("flags a success from the burst's IP, even for another user, as critical", () => {
    const success = makeLog({ at: "10:06", ip: "203.0.113.9", user: "carol" });
    const [finding, ...rest] = found([...burst(), success], "success_after_failures");
    assert.equal(rest.length, 0);
    assert.deepEqual(
      [finding?.ip, finding?.user, finding?.severity, finding?.count],
      ["203.0.113.9", "carol", "critical", 1],
    );
    assert.deepEqual(finding?.log_ids, [success.log_id]);
    assert.equal(
      finding?.explanation,
      '1 successful event (first: login) by user "carol" from 203.0.113.9, 2 min after a burst of 5 failed events from 203.0.113.9',
    );
  });

  it("flags a success for the targeted user from another IP", () => {
    const logs = [
      ...burst({ user: "bob" }).map((log, i) => ({ ...log, ip: `198.51.100.${i + 1}` })),
      makeLog({ at: "10:05", user: "bob" }),
    ];
    const [finding] = found(logs, "success_after_failures");
    assert.equal(finding?.user, "bob");
    assert.equal(finding?.ip, "10.0.1.5");
    assert.match(finding!.explanation, /after a burst of 5 failed events against this user$/);
  });

  it("counts a success exactly one window after the burst's last failure, not one second later", () => {
    assert.equal(found([...burst(), makeLog({ at: "10:14", ip: "203.0.113.9" })], "success_after_failures").length, 1);
    assert.equal(
      found([...burst(), makeLog({ at: "10:14:01", ip: "203.0.113.9" })], "success_after_failures").length,
      0,
    );
  });

  it("ignores a success before the burst qualifies, and successes of unrelated users and IPs", () => {
    const logs = [
      ...burst().slice(0, 4),
      makeLog({ at: "10:03:30", ip: "203.0.113.9" }),
      ...burst().slice(4),
      makeLog({ at: "10:05", user: "dave" }),
    ];
    assert.equal(found(logs, "success_after_failures").length, 0);
  });
});

describe("unknown_network", () => {
  const config = quietConfig({ allowedNetworks: "10.0.0.0/16, 2001:db8:1::/48" });

  it("flags IPv4 and IPv6 addresses outside the allowlist and lets IPv4-mapped forms of allowed ones pass", () => {
    const logs = ["10.0.1.5", "::ffff:10.0.1.5", "2001:db8:1::7", "10.1.0.1", "2001:db8:2::1"].map((ip, i) =>
      makeLog({ ip, at: `1${i}:00` }),
    );
    const findings = found(logs, "unknown_network", config);
    assert.deepEqual(
      findings.map((f) => [f.ip, f.severity]),
      [
        ["10.1.0.1", "medium"],
        ["2001:db8:2::1", "medium"],
      ],
    );
    assert.equal(
      findings[0]?.explanation,
      "1 event from 10.1.0.1, outside the allowed networks (10.0.0.0/16, 2001:db8:1::/48)",
    );
  });

  it("does not flag the unspecified address, which stands for an unknown client (Ledgerline's own audit events)", () => {
    const logs = ["0.0.0.0", "::", "::ffff:0.0.0.0"].map((ip, i) => makeLog({ ip, at: `1${i}:00` }));
    assert.deepEqual(found(logs, "unknown_network", config), []);
  });

  it("merges events of one address less than a window apart, however spelt, and starts again after a gap", () => {
    const logs = [
      makeLog({ ip: "10.9.0.1", at: "10:00" }),
      makeLog({ ip: "::ffff:10.9.0.1", at: "10:09" }),
      makeLog({ ip: "10.9.0.1", at: "10:30" }),
    ];
    assert.deepEqual(
      found(logs, "unknown_network", config).map((f) => [f.ip, f.count]),
      [
        ["10.9.0.1", 2],
        ["10.9.0.1", 1],
      ],
    );
  });
});

describe("off_hours", () => {
  const offHours = (times: string[], settings: Parameters<typeof quietConfig>[0]) =>
    found(
      times.map((at) => makeLog({ at })),
      "off_hours",
      quietConfig(settings),
    ).map((f) => f.start.toISOString());

  it("includes the window's start and excludes its end (00:00-05:00 UTC)", () => {
    assert.deepEqual(offHours(["00:00", "04:59", "05:00"], { offHours: "00:00-05:00" }), [
      "2025-01-15T00:00:00.000Z",
      "2025-01-15T04:59:00.000Z",
    ]);
  });

  it("handles a window crossing midnight", () => {
    const times = ["2025-01-15T21:59:00Z", "2025-01-15T22:00:00Z", "2025-01-16T05:59:00Z", "2025-01-16T06:00:00Z"];
    assert.deepEqual(offHours(times, { offHours: "22:00-06:00" }), [
      "2025-01-15T22:00:00.000Z",
      "2025-01-16T05:59:00.000Z",
    ]);
  });

  it("follows Europe/Berlin's DST: 03:30 UTC is 04:30 in January but 05:30 after the spring switch", () => {
    const times = ["2025-01-15T03:30:00Z", "2025-03-30T02:30:00Z", "2025-03-30T03:30:00Z"];
    assert.deepEqual(offHours(times, { offHours: "00:00-05:00", timeZone: "Europe/Berlin" }), [
      "2025-01-15T03:30:00.000Z",
      "2025-03-30T02:30:00.000Z",
    ]);
  });

  it("follows Asia/Kolkata's half-hour offset: 00:00-05:00 IST is 18:30-23:30 UTC", () => {
    const times = ["2025-01-14T18:29:00Z", "2025-01-14T18:30:00Z", "2025-01-14T23:29:00Z", "2025-01-14T23:30:00Z"];
    const [finding] = found(
      times.map((at) => makeLog({ at })),
      "off_hours",
      quietConfig({ offHours: "00:00-05:00", timeZone: "Asia/Kolkata" }),
    );
    assert.equal(finding?.count, 1);
    assert.equal(finding?.explanation, '1 event by user "alice" in off hours, the first at 00:00 Asia/Kolkata');
    assert.deepEqual(offHours(times, { offHours: "00:00-05:00", timeZone: "Asia/Kolkata" }), [
      "2025-01-14T18:30:00.000Z",
      "2025-01-14T23:29:00.000Z",
    ]);
  });

  it("is a low-severity finding per user under the default settings", () => {
    const [finding] = detectAnomalies([makeLog({ at: "02:00" }), makeLog({ at: "02:05" })], parseDetectionConfig());
    assert.deepEqual(
      [finding?.type, finding?.user, finding?.count, finding?.severity],
      ["off_hours", "alice", 2, "low"],
    );
  });
});

describe("explanations", () => {
  it("escape hostile user names and addresses into one plain line", () => {
    const user = 'mallory"\n\u202eevil\\';
    const [finding] = found([makeLog({ at: "02:00", user })], "off_hours", quietConfig({ offHours: "00:00-05:00" }));
    assert.equal(finding?.user, user);
    assert.equal(
      finding?.explanation,
      '1 event by user "mallory\\u{22}\\u{a}\\u{202e}evil\\u{5c}" in off hours, the first at 02:00 UTC',
    );
    const [unknown] = found([makeLog({ ip: `x${"y".repeat(200)}\r\n` })], "unknown_network");
    assert.doesNotMatch(unknown!.explanation, /[\r\n]/);
    assert.ok(unknown!.explanation.length < 200);
  });
});
