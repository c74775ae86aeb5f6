import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { summariesOf, summaryColumns, type LogSummary } from "./summaries";

function makeSummary(overrides: Partial<LogSummary> = {}): LogSummary {
  return { log_id: "evt-1", sequence: 7, time: new Date("2026-11-26T08:00:00.123Z"), ip: "10.0.3.7", user: "ana", action: "login", status: "failed", ...overrides };
}

const stored = ({ log_id, ...rest }: LogSummary) => ({ _id: log_id, ...rest });

describe("log summaries", () => {
  it("reads back every field of every log, in order, from the packed columns", () => {
    const logs = [makeSummary(), makeSummary({ log_id: "evt-2", sequence: 8, ip: "2001:db8::1", user: "bó \"quoted\"", status: "success" })];
    assert.deepEqual([...summariesOf(summaryColumns(logs.map(stored)))], logs);
  });

  it("reads an empty block", () => {
    assert.deepEqual([...summariesOf(summaryColumns([]))], []);
  });

  it("still reads columns stored as arrays by earlier versions", () => {
    const log = makeSummary();
    const legacy = { log_ids: [log.log_id], sequences: [log.sequence], times: [log.time], ips: [log.ip], users: [log.user], actions: [log.action], failed: [true] };
    assert.deepEqual([...summariesOf(legacy)], [log]);
  });
});
