import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  MAX_ACTIVE_ALERTS,
  nextActiveAlerts,
  packActiveAlerts,
  unpackActiveAlerts,
  withLiveFields,
} from "./active-alerts";
import { type WorkingAlert } from "./alert-record";

const T = (minute: number) => new Date(Date.UTC(2026, 0, 5, 10, minute));
const alert = (id: string, end: number, unsaved = false): WorkingAlert => ({
  _id: id,
  type: "off_hours",
  user: "u",
  subject_key: `["off_hours",null,"u"]`,
  start: T(0),
  end: T(end),
  count: 1,
  log_ids: ["l"],
  severity: "low",
  explanation: "x",
  updated_at: T(end),
  unsaved,
});

describe("nextActiveAlerts", () => {
  it("keeps the alerts ending at or after the horizon and lets the others leave", () => {
    const { active, leaving } = nextActiveAlerts([alert("a", 5, true), alert("b", 20), alert("c", 30)], {
      coveredFrom: T(0),
      horizon: T(20),
      previous: null,
    });
    assert.deepEqual(active.since, T(20));
    assert.deepEqual(
      active.alerts.map((a) => a._id),
      ["b", "c"],
    );
    assert.deepEqual(
      leaving.map((a) => a._id),
      ["a"],
    );
  });

  it("never moves its start back, nor before what the alerts are complete from", () => {
    assert.deepEqual(
      nextActiveAlerts([], { coveredFrom: T(0), horizon: T(5), previous: T(20) }).active.since,
      T(20),
      "a backfill does not pull old alerts in",
    );
    assert.deepEqual(nextActiveAlerts([], { coveredFrom: T(25), horizon: T(5), previous: null }).active.since, T(25));
  });

  it("keeps at most MAX_ACTIVE_ALERTS, the latest-ending ones", () => {
    const many = Array.from({ length: MAX_ACTIVE_ALERTS + 10 }, (_, i) => ({
      ...alert(`a${i}`, 0),
      end: new Date(T(0).getTime() + i),
    }));
    const { active, leaving } = nextActiveAlerts(many, { coveredFrom: T(0), horizon: T(0), previous: null });
    assert.equal(active.alerts.length, MAX_ACTIVE_ALERTS);
    assert.equal(leaving.length, 10);
    assert.ok(leaving.every((a) => a.end < active.since));
  });
});

describe("active alerts", () => {
  it("round-trip through their packed form, dates included", () => {
    const alerts = [alert("a", 5, true), { ...alert("b", 7), ip: "2001:db8::1", user: undefined }];
    assert.deepEqual(
      unpackActiveAlerts(packActiveAlerts(alerts)),
      alerts.map((a) =>
        JSON.parse(JSON.stringify(a), (key, value) =>
          ["start", "end", "updated_at"].includes(key) ? new Date(value) : value,
        ),
      ),
    );
  });

  it("overlay their live fields on the stored alerts, leaving status and others alone", () => {
    const stored = [
      { _id: "a", status: "acknowledged", count: 1, end: T(1) },
      { _id: "z", status: "open", count: 3, end: T(2) },
    ];
    const [a, z] = withLiveFields(stored, { since: T(0), alerts: [{ ...alert("a", 9), count: 4 }] });
    assert.deepEqual([a!.status, a!.count, a!.end], ["acknowledged", 4, T(9)]);
    assert.equal(z, stored[1]);
  });
});
