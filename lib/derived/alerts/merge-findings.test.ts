import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Finding } from "@/lib/records/anomaly";
import type { WorkingAlert } from "./alert-record";
import { mergeFindings } from "./merge-findings";

const T = (minute: number) => new Date(Date.UTC(2026, 0, 5, 10, minute));
const burst = (from: number, to: number, extra: Partial<Finding> = {}): Finding => ({
  type: "failure_burst",
  severity: "high",
  ip: "203.0.113.9",
  start: T(from),
  end: T(to),
  count: to - from + 1,
  log_ids: Array.from({ length: to - from + 1 }, (_, i) => `log-${from + i}`),
  explanation: `failures ${from}-${to}`,
  ...extra,
});
const options = { mergeGapMs: 10 * 60_000, now: T(30), idSeed: "checkpoint:7" };

describe("mergeFindings", () => {
  it("creates one alert per subject and window, and extends it with findings that overlap or follow within the gap", () => {
    const alerts: WorkingAlert[] = [];
    const created = mergeFindings(alerts, [burst(0, 4), burst(12, 16), burst(40, 44)], options);
    assert.equal(created.length, 2, "12-16 follows 0-4 within 10 minutes; 40-44 does not");
    assert.deepEqual([created[0]!.start, created[0]!.end, created[0]!.count], [T(0), T(16), 10]);
    assert.deepEqual(
      alerts.map((alert) => alert.unsaved),
      [false, false],
      "created alerts are stored whole",
    );
  });

  it("marks an existing alert unsaved only when a finding changes it", () => {
    const [first] = mergeFindings([], [burst(0, 4)], options);
    const alerts: WorkingAlert[] = [{ ...first!, unsaved: false }];
    mergeFindings(alerts, [burst(0, 4)], { ...options, now: T(50) });
    assert.equal(alerts[0]!.unsaved, false, "the same finding again changes nothing");
    assert.deepEqual(alerts[0]!.updated_at, T(30));
    mergeFindings(alerts, [burst(3, 6, { severity: "critical" })], { ...options, now: T(50) });
    assert.deepEqual(
      [alerts[0]!.unsaved, alerts[0]!.end, alerts[0]!.severity, alerts[0]!.count, alerts[0]!.updated_at],
      [true, T(6), "critical", 7, T(50)],
    );
  });

  it("names created alerts after the seed, so that merging again with the same seed gives the same ids", () => {
    const once = mergeFindings([], [burst(0, 4), burst(0, 4, { ip: "198.51.100.1" })], options).map(
      (alert) => alert._id,
    );
    const again = mergeFindings([], [burst(0, 4), burst(0, 4, { ip: "198.51.100.1" })], options).map(
      (alert) => alert._id,
    );
    const otherSeed = mergeFindings([], [burst(0, 4)], { ...options, idSeed: "checkpoint:8" }).map(
      (alert) => alert._id,
    );
    assert.deepEqual(once, again);
    assert.equal(new Set(once).size, 2);
    assert.notEqual(otherSeed[0], once[0]);
    assert.match(once[0]!, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it("stores a new finding a rule covers as suppressed with the rule's id, and lets later findings extend alerts whatever the rules say", () => {
    const muting = {
      ...options,
      suppressedBy: (finding: Finding) => (finding.ip === "203.0.113.9" ? "rule-1" : undefined),
    };
    const alerts: WorkingAlert[] = [];
    const created = mergeFindings(alerts, [burst(0, 4), burst(0, 4, { ip: "198.51.100.1" })], muting);
    assert.deepEqual(
      created.map((alert) => [alert.ip, alert.status, alert.suppressed_by]),
      [
        ["203.0.113.9", "suppressed", "rule-1"],
        ["198.51.100.1", "open", undefined],
      ],
    );
    assert.equal(alerts[0]!.suppressed_by, "rule-1", "detection knows which alerts are muted");

    const open: WorkingAlert[] = [{ ...mergeFindings([], [burst(0, 4)], options)[0]!, unsaved: false }];
    assert.deepEqual(
      mergeFindings(open, [burst(5, 8)], muting),
      [],
      "an open alert a covered finding extends creates nothing",
    );
    assert.deepEqual([open[0]!.end, open[0]!.suppressed_by], [T(8), undefined]);
  });
});
