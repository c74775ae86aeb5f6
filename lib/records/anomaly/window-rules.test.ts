import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { detectAnomalies } from "./detector";
import type { DetectableLog, FindingType } from "./finding";
import { failures, makeLog, quietConfig } from "./logs.fixture";

const config = quietConfig();
const found = (logs: DetectableLog[], type: FindingType, options = config) =>
  detectAnomalies(logs, options).filter((f) => f.type === type);
const minutes = (from: number, count: number, step = 1) =>
  Array.from({ length: count }, (_, i) => `10:${String(from + i * step).padStart(2, "0")}`);

describe("failure_burst", () => {
  it("stays quiet at 4 failures from one IP within 10 minutes and flags the 5th", () => {
    assert.equal(found(failures(minutes(0, 4)), "failure_burst").length, 0);
    const [burst, ...rest] = found(failures(minutes(0, 5)), "failure_burst");
    assert.equal(rest.length, 0);
    assert.equal(burst!.ip, "203.0.113.9");
    assert.equal(burst!.user, undefined);
    assert.equal(burst!.count, 5);
    assert.equal(burst!.severity, "high");
    assert.equal(
      burst!.explanation,
      "5 failed events from 203.0.113.9 against 1 user within 4 min (threshold 5 in 10 min)",
    );
  });

  it("counts a failure exactly one window after the first as inside it (inclusive), one second later as outside", () => {
    assert.equal(found(failures(["10:00", "10:02", "10:04", "10:06", "10:10"]), "failure_burst").length, 1);
    assert.equal(found(failures(["10:00", "10:02", "10:04", "10:06", "10:10:01"]), "failure_burst").length, 0);
  });

  it("flags 3 failures at 10:08 and 3 at 10:11 across a fixed 10-minute bucket boundary", () => {
    const [burst] = found(
      failures(["10:08:00", "10:08:10", "10:08:20", "10:11:00", "10:11:10", "10:11:20"]),
      "failure_burst",
    );
    assert.equal(burst?.count, 6);
    assert.deepEqual(
      [burst?.start.toISOString(), burst?.end.toISOString()],
      ["2025-01-15T10:08:00.000Z", "2025-01-15T10:11:20.000Z"],
    );
  });

  it("merges overlapping windows into one finding with the first 20 log_ids and escalates at 3x the threshold", () => {
    const logs = failures(minutes(0, 31, 2).map((at) => (at === "10:60" ? "11:00" : at)));
    const findings = found(logs, "failure_burst");
    assert.equal(findings.length, 1);
    const [burst] = findings;
    assert.equal(burst!.count, 31);
    assert.equal(burst!.start.toISOString(), "2025-01-15T10:00:00.000Z");
    assert.equal(burst!.end.toISOString(), "2025-01-15T11:00:00.000Z");
    assert.deepEqual(
      burst!.log_ids,
      logs.slice(0, 20).map((log) => log.log_id),
    );
    assert.equal(burst!.severity, "critical");
  });

  it("merges two qualifying windows that share one failure (10:00-10:04 and 10:04-10:14)", () => {
    const [burst, ...rest] = found(
      failures([...minutes(0, 5), "10:13:00", "10:13:30", "10:13:45", "10:14:00"]),
      "failure_burst",
    );
    assert.equal(rest.length, 0);
    assert.equal(burst!.count, 9);
    assert.equal(burst!.end.toISOString(), "2025-01-15T10:14:00.000Z");
  });

  it("keeps bursts whose windows do not overlap apart, each with its own failures", () => {
    const findings = found(failures([...minutes(0, 5), ...minutes(12, 5)]), "failure_burst");
    assert.deepEqual(
      findings.map((f) => [f.count, f.start.toISOString().slice(11, 16)]),
      [
        [5, "10:00"],
        [5, "10:12"],
      ],
    );
  });

  it("stays high below 3x the threshold", () => {
    assert.equal(found(failures(minutes(0, 14)), "failure_burst")[0]?.severity, "high");
    assert.equal(found(failures(minutes(0, 15)), "failure_burst")[0]?.severity, "critical");
  });

  it("counts only the configured actions when ANOMALY_FAILURE_ACTIONS is set", () => {
    const logs = failures(minutes(0, 5), { action: "file_read" });
    assert.equal(found(logs, "failure_burst").length, 1);
    assert.equal(found(logs, "failure_burst", quietConfig({ failureActions: "login,sudo" })).length, 0);
  });

  it("keeps IPv4 and its IPv4-mapped IPv6 form in one window", () => {
    const logs = failures(minutes(0, 5)).map((log, i) => ({
      ...log,
      ip: i % 2 ? "::ffff:203.0.113.9" : "203.0.113.9",
    }));
    assert.equal(found(logs, "failure_burst")[0]?.count, 5);
  });
});

describe("targeted_account", () => {
  it("flags 5 failures against one user from 5 different IPs, which no IP's burst shows", () => {
    const logs = minutes(0, 5).map((at, i) =>
      makeLog({ at, status: "failed", user: "bob", ip: `198.51.100.${i + 1}` }),
    );
    const [finding] = found(logs, "targeted_account");
    assert.equal(finding?.user, "bob");
    assert.equal(finding?.ip, undefined);
    assert.equal(
      finding?.explanation,
      '5 failed events against user "bob" from 5 IPs within 4 min (threshold 5 in 10 min)',
    );
    assert.equal(found(logs, "failure_burst").length, 0);
    assert.equal(found(logs.slice(1), "targeted_account").length, 0);
  });
});

describe("password_spraying", () => {
  const spray = (users: string[]) =>
    users.map((user, i) => makeLog({ at: `10:0${i}`, status: "failed", ip: "203.0.113.7", user }));

  it("stays quiet at 4 distinct users, even with enough failures for a burst", () => {
    const logs = spray(["a", "b", "c", "d", "a", "b"]);
    assert.equal(found(logs, "password_spraying").length, 0);
    assert.equal(found(logs, "failure_burst").length, 1);
  });

  it("flags one IP failing against 5 distinct users within the window", () => {
    const [finding] = found(spray(["a", "b", "c", "d", "e"]), "password_spraying");
    assert.equal(finding?.ip, "203.0.113.7");
    assert.equal(finding?.count, 5);
    assert.match(finding!.explanation, /against 5 distinct users within 4 min \(threshold 5 users in 10 min\)/);
  });

  it("forgets users whose failures left the window", () => {
    const logs = [
      ...spray(["a", "b", "c", "d"]),
      makeLog({ at: "10:10:01", status: "failed", ip: "203.0.113.7", user: "e" }),
    ];
    assert.equal(found(logs, "password_spraying").length, 0);
  });
});
