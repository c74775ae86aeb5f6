import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generateLogInputs } from "@/lib/features/generators/logs";
import { createBaselineBuilder } from "./baseline";
import { parseDetectionConfig } from "@/lib/foundation/detection-config";
import { createDetector, detectAnomalies } from "./detector";
import { detectableLogOf, type DetectableLog, type Finding } from "./finding";
import { failures, makeLog, quietConfig } from "./logs.fixture";

describe("createDetector", () => {
  it("emits a finding from flush() once the stream is more than a window past it, and not before", () => {
    const detector = createDetector(quietConfig({ maxLatenessSeconds: 0 }));
    for (const log of failures(["10:00", "10:01", "10:02", "10:03", "10:04"])) detector.push(log);
    detector.push(makeLog({ at: "10:14", user: "zoe" }));
    assert.deepEqual(detector.flush(), []);
    assert.deepEqual(
      detector.pending().map((f) => f.type),
      ["failure_burst", "targeted_account"],
    );
    detector.push(makeLog({ at: "10:20", user: "zoe" }));
    assert.deepEqual(
      detector.flush().map((f) => f.type),
      ["failure_burst", "targeted_account"],
    );
    assert.deepEqual(detector.pending(), []);
    assert.deepEqual(detector.finish(), []);
  });

  it("closes quiet windows when told the time with advanceTo()", () => {
    const detector = createDetector(quietConfig({ maxLatenessSeconds: 60 }));
    for (const log of failures(["10:00", "10:01", "10:02", "10:03", "10:04"])) detector.push(log);
    detector.advanceTo(new Date("2025-01-15T10:15:00Z"));
    assert.deepEqual(detector.flush(), [], "a failure at 10:14 (10:15 less the lateness) could still join the burst");
    detector.advanceTo(new Date("2025-01-15T10:15:01Z"));
    assert.deepEqual(
      detector.flush().map((f) => f.type),
      ["failure_burst", "targeted_account"],
    );
    detector.push(makeLog({ at: "10:13:59" }));
    assert.equal(detector.stats().late, 1);
  });

  it("puts logs up to the lateness allowance out of order back in order", () => {
    const ordered = failures(["10:00:00", "10:00:20", "10:00:40", "10:01:00", "10:01:20"]);
    const shuffled = [ordered[2]!, ordered[0]!, ordered[4]!, ordered[1]!, ordered[3]!];
    const [expected] = detectAnomalies(ordered, quietConfig());
    const findings = detectAnomalies(shuffled, quietConfig({ maxLatenessSeconds: 60 }));
    assert.deepEqual(findings[0], expected);
  });

  it("refuses and counts logs later than the allowance instead of analysing them out of order", () => {
    const detector = createDetector(quietConfig({ maxLatenessSeconds: 60 }));
    for (const log of failures(["10:00", "10:01", "10:02", "10:03"])) detector.push(log);
    detector.push(makeLog({ at: "09:59:30", ip: "203.0.113.9", status: "failed" }));
    detector.push({ ...makeLog(), time: new Date("not a date") });
    assert.deepEqual(detector.stats(), { analysed: 3, waiting: 1, late: 1, invalid: 1 });
    assert.deepEqual(detector.finish(), []);
    assert.deepEqual(detector.stats(), { analysed: 4, waiting: 0, late: 1, invalid: 1 });
    assert.throws(() => detector.push(makeLog()), /finished/);
  });

  it("returns every finding ordered by start, then end, then type", () => {
    const logs = [makeLog({ at: "02:00", ip: "10.9.9.9" }), ...failures(["10:00", "10:01", "10:02", "10:03", "10:04"])];
    const findings = detectAnomalies(logs, parseDetectionConfig());
    assert.deepEqual(
      findings.map((f) => f.type),
      ["unknown_network", "off_hours", "failure_burst", "targeted_account", "unknown_network"],
    );
  });
});

describe("detectableLogOf", () => {
  it("maps a stored log's _id to log_id and keeps the fields detection reads", () => {
    const time = new Date("2025-01-15T10:00:00Z");
    const stored = {
      _id: "evt-1",
      time,
      ip: "10.0.0.1",
      user: "bob",
      action: "sudo",
      status: "failed" as const,
      message: "ignored",
    };
    assert.deepEqual(detectableLogOf(stored), {
      log_id: "evt-1",
      time,
      ip: "10.0.0.1",
      user: "bob",
      action: "sudo",
      status: "failed",
    });
  });
});

describe("detectAnomalies over generated logs", () => {
  const start = new Date("2025-01-06T00:00:00.000Z");
  const logs: DetectableLog[] = [
    ...generateLogInputs({ count: 5_000, seed: 7, start, end: new Date("2025-01-20T00:00:00.000Z") }),
  ].map((input) => ({
    log_id: input.log_id,
    time: new Date(input.timestamp),
    ip: input.ip,
    user: input.user,
    action: input.action,
    status: input.status,
  }));
  const findings = detectAnomalies(logs, parseDetectionConfig());
  const failuresByIp = () => {
    const byIp = new Map<string, DetectableLog[]>();
    for (const log of logs)
      if (log.status === "failed" && log.ip !== undefined) byIp.set(log.ip, [...(byIp.get(log.ip) ?? []), log]);
    return [...byIp];
  };
  const ipsOf = (type: string) => new Set(findings.filter((f) => f.type === type).map((f) => f.ip));

  it("flags exactly the IPs that have 5 failures within 10 minutes somewhere (the injected bursts)", () => {
    const bursting = failuresByIp().filter(([, failed]) =>
      failed.some(
        (first, i) =>
          failed[i + 4] !== undefined && failed[i + 4]!.time.getTime() - first.time.getTime() <= 10 * 60_000,
      ),
    );
    assert.ok(bursting.length >= 3, `${bursting.length} bursting IPs`);
    assert.deepEqual(ipsOf("failure_burst"), new Set(bursting.map(([ip]) => ip)));
  });

  it("flags the password sprays and reports every finding type the data holds", () => {
    const spraying = failuresByIp().filter(([, failed]) => new Set(failed.map((log) => log.user)).size >= 10);
    for (const [ip] of spraying) assert.ok(ipsOf("password_spraying").has(ip), `${ip} sprays`);
    for (const type of ["failure_burst", "targeted_account", "password_spraying", "unknown_network", "off_hours"]) {
      assert.ok(
        findings.some((f) => f.type === type),
        type,
      );
    }
    for (const finding of findings) {
      assert.ok(finding.log_ids.length <= 20 && finding.log_ids.length === Math.min(finding.count, 20));
      assert.ok(finding.start <= finding.end);
    }
  });
});

// Expected batches are pinned: a sweep that skips rules with nothing to close must flush the same findings in the same
// order.
describe("createDetector, flushed after every log", () => {
  it("closes each finding in the same flush and order, ties of start, end and type included (Asia/Kolkata off hours, IPv6 spellings)", () => {
    const config = parseDetectionConfig({
      timeZone: "Asia/Kolkata",
      offHours: "22:00-06:00",
      allowedNetworks: "10.0.0.0/16, 2001:db8::/48",
      minHistoryEvents: 3,
      minHistoryDays: 1,
    });
    const builder = createBaselineBuilder(config);
    for (const at of ["2025-01-14T04:00:00Z", "2025-01-14T05:00:00Z", "2025-01-14T06:00:00Z"])
      builder.push(makeLog({ at, ip: "10.0.1.5" }));
    const burstTimes = [
      "2025-01-15T00:29:00Z",
      "2025-01-15T00:29:30Z",
      "2025-01-15T00:30:00Z",
      "2025-01-15T00:31:00Z",
      "2025-01-15T00:32:00Z",
    ];
    const logs = [
      ...failures(burstTimes, { ip: "203.0.113.9", user: "bob" }),
      ...failures(burstTimes, { ip: "2001:DB8:1::9", user: "carol" }),
      makeLog({ at: "2025-01-15T00:33:00Z", ip: "203.0.113.9", user: "bob" }),
      makeLog({ at: "2025-01-15T00:29:59.999Z", ip: "::ffff:10.0.0.7" }),
      makeLog({ at: "2025-01-15T00:30:00.000Z", ip: "2001:db8:0:1::5" }),
      makeLog({ at: "2025-01-15T00:45:00.000Z", user: "dave" }),
      makeLog({ at: "2025-01-15T00:55:00.001Z", user: "dave" }),
      makeLog({ at: "2025-01-15T16:29:59.999Z", user: "erin" }),
      makeLog({ at: "2025-01-15T16:30:00.000Z", ip: "10.0.1.6", user: "frank" }),
    ].sort((a, b) => a.time.getTime() - b.time.getTime());
    const detector = createDetector(config, { baseline: builder.build() });
    const line = (finding: Finding) =>
      `${finding.type} ${finding.severity} ip=${finding.ip ?? "-"} user=${finding.user ?? "-"} ${finding.start.toISOString()} ${finding.end.toISOString()} n=${finding.count}`;
    const batches = logs.map((log) => {
      detector.push(log);
      return detector.flush().map(line);
    });
    batches.push(detector.finish().map(line));
    assert.equal(batches.length, 18);
    assert.deepEqual(
      batches.flatMap((batch, index) => (batch.length > 0 ? [[index, batch]] : [])),
      [
        [
          14,
          [
            "off_hours low ip=- user=bob 2025-01-15T00:29:00.000Z 2025-01-15T00:29:30.000Z n=2",
            "off_hours low ip=- user=carol 2025-01-15T00:29:00.000Z 2025-01-15T00:29:30.000Z n=2",
            "failure_burst high ip=203.0.113.9 user=- 2025-01-15T00:29:00.000Z 2025-01-15T00:32:00.000Z n=5",
            "failure_burst high ip=2001:db8:1::9 user=- 2025-01-15T00:29:00.000Z 2025-01-15T00:32:00.000Z n=5",
            "targeted_account high ip=- user=bob 2025-01-15T00:29:00.000Z 2025-01-15T00:32:00.000Z n=5",
            "targeted_account high ip=- user=carol 2025-01-15T00:29:00.000Z 2025-01-15T00:32:00.000Z n=5",
            "unknown_network medium ip=2001:db8:1::9 user=- 2025-01-15T00:29:00.000Z 2025-01-15T00:32:00.000Z n=5",
            "unknown_network medium ip=203.0.113.9 user=- 2025-01-15T00:29:00.000Z 2025-01-15T00:33:00.000Z n=6",
            "off_hours low ip=- user=alice 2025-01-15T00:29:59.999Z 2025-01-15T00:29:59.999Z n=1",
            "new_ip_for_user medium ip=10.0.0.7 user=alice 2025-01-15T00:29:59.999Z 2025-01-15T00:29:59.999Z n=1",
            "rare_hour_for_user low ip=- user=alice 2025-01-15T00:29:59.999Z 2025-01-15T00:30:00.000Z n=2",
            "new_ip_for_user medium ip=2001:db8:0:1::5 user=alice 2025-01-15T00:30:00.000Z 2025-01-15T00:30:00.000Z n=1",
            "success_after_failures critical ip=203.0.113.9 user=bob 2025-01-15T00:33:00.000Z 2025-01-15T00:33:00.000Z n=1",
          ],
        ],
        [17, ["off_hours low ip=- user=frank 2025-01-15T16:30:00.000Z 2025-01-15T16:30:00.000Z n=1"]],
      ],
    );
  });
});

describe("logs without a client address", () => {
  it("count against their user (targeted_account) but raise no address rule", () => {
    const noAddress = failures(["10:00", "10:01", "10:02", "10:03", "10:04"], { user: "root", action: "su" }).map(
      ({ ip: _ip, ...log }) => log,
    );
    const config = parseDetectionConfig({ allowedNetworks: "10.0.0.0/16" });
    const findings = detectAnomalies(
      [...noAddress, makeLog({ at: "10:05", user: "root", action: "su", ip: undefined })],
      config,
    );
    assert.deepEqual(
      findings.map((finding) => [finding.type, finding.user, finding.ip]),
      [
        ["targeted_account", "root", undefined],
        ["success_after_failures", "root", undefined],
      ],
    );
  });
});
