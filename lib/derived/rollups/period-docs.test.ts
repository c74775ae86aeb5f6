import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CountedLog } from "./period-counts";
import { addToPeriod, Contributions, packPeriod, unpackPeriod } from "./period-docs";

const through = { number: 3, end_sequence: 30 };

function makeLog(at: string, fields: Partial<Omit<CountedLog, "time">> = {}): CountedLog {
  return { time: new Date(at), ip: "10.0.1.5", user: "alice", action: "login", status: "success", ...fields };
}

function contributionsOf(logs: CountedLog[]): Contributions {
  const contributions = new Contributions();
  for (const log of logs) contributions.addLog(log);
  return contributions;
}

function packedDoc(
  contributions: Contributions,
  id: string,
  stored = null as ReturnType<typeof unpackPeriod> | null,
  at = through,
) {
  const contribution = [...contributions.values()].find((candidate) => candidate.id === id);
  assert.ok(contribution, `no contribution ${id}`);
  return packPeriod(addToPeriod(stored, contribution, at));
}

// Expected values are pinned: the per-quarter caches must not change them.
describe("Contributions", () => {
  const edgeLogs = [
    makeLog("2024-12-31T23:59:59.999Z", { status: "failed", ip: "2001:db8::1" }),
    makeLog("2025-01-01T00:00:00.000Z", { user: "bob" }),
    makeLog("2025-01-01T00:14:59.999Z", { ip: "2001:db8::1", action: "logout" }),
    makeLog("2025-01-01T00:15:00.000Z", { status: "failed" }),
    makeLog("1969-12-31T23:59:59.999Z"),
  ];

  it("puts each log in its UTC quarter, hour and day, at the millisecond edges and before 1970, in first-touched order", () => {
    const contributions = contributionsOf(edgeLogs);
    assert.deepEqual(
      [...contributions.values()].map(({ id, level, start }) => [id, level, start]),
      [
        ["all", "all", 0],
        ["d:2024-12-31", "day", 1735603200000],
        ["h:2024-12-31T23", "hour", 1735686000000],
        ["q:2024-12-31T23:45", "quarter", 1735688700000],
        ["d:2025-01-01", "day", 1735689600000],
        ["h:2025-01-01T00", "hour", 1735689600000],
        ["q:2025-01-01T00:00", "quarter", 1735689600000],
        ["q:2025-01-01T00:15", "quarter", 1735690500000],
        ["d:1969-12-31", "day", -86400000],
        ["h:1969-12-31T23", "hour", -3600000],
        ["q:1969-12-31T23:45", "quarter", -900000],
      ],
    );
  });

  it("stores sorted per-quarter and per-value counts, and alerts in the quarter their window starts in", () => {
    const contributions = contributionsOf(edgeLogs);
    contributions.addAlert(new Date("2025-01-01T00:29:59.999Z"), "failure_burst", "high", 1);
    assert.deepEqual(packedDoc(contributions, "d:2025-01-01"), {
      _id: "d:2025-01-01",
      level: "day",
      start: new Date("2025-01-01T00:00:00.000Z"),
      total: 3,
      failed: 1,
      alerts: [{ type: "failure_burst", severity: "high", n: 1 }],
      through: 3,
      through_end: 30,
      packed:
        '{"quarters":[[1735689600000,2,0],[1735690500000,1,1]],"ips":[["10.0.1.5",2,1],["2001:db8::1",1,0]],"users":[["alice",2,1],["bob",1,0]],"actions":[["login",2,1],["logout",1,0]]}',
    });
    assert.equal(
      packedDoc(contributions, "q:2025-01-01T00:00").packed,
      '{"quarters":[[1735689600000,2,0]],"ips":[["10.0.1.5",1,0],["2001:db8::1",1,0]],"users":[["alice",1,0],["bob",1,0]],"actions":[["login",1,0],["logout",1,0]]}',
    );
    assert.deepEqual(packedDoc(contributions, "q:2025-01-01T00:15").alerts, [
      { type: "failure_burst", severity: "high", n: 1 },
    ]);
    assert.deepEqual(packedDoc(contributions, "all"), {
      _id: "all",
      level: "all",
      start: new Date(0),
      total: 0,
      failed: 0,
      alerts: [{ type: "failure_burst", severity: "high", n: 1 }],
      through: 3,
      through_end: 30,
      complete: false,
      open_offset: 0,
      packed: '{"quarters":[],"ips":[],"users":[],"actions":[]}',
    });
  });

  it("adds a later checkpoint to the stored document, dropping alert tallies that net to zero", () => {
    const first = contributionsOf(edgeLogs);
    first.addAlert(new Date("2025-01-01T00:29:59.999Z"), "failure_burst", "high", 1);
    const stored = unpackPeriod(packedDoc(first, "d:2025-01-01"));
    const second = contributionsOf([makeLog("2025-01-01T23:59:59.999Z", { user: "carol" })]);
    second.addAlert(new Date("2025-01-01T00:20:00Z"), "failure_burst", "high", -1);
    const doc = packedDoc(second, "d:2025-01-01", stored, { number: 4, end_sequence: 40 });
    assert.deepEqual([doc.total, doc.failed, doc.alerts, doc.through, doc.through_end], [4, 1, [], 4, 40]);
    assert.equal(
      doc.packed,
      '{"quarters":[[1735689600000,2,0],[1735690500000,1,1],[1735775100000,1,0]],"ips":[["10.0.1.5",3,1],["2001:db8::1",1,0]],"users":[["alice",2,1],["bob",1,0],["carol",1,0]],"actions":[["login",3,1],["logout",1,0]]}',
    );
  });
});
