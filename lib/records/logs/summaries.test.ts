import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Binary } from "mongodb";
import { summariesOf, summaryColumns, unpackSummaries, type LogSummary } from "./summaries";

function makeSummary(overrides: Partial<LogSummary> = {}): LogSummary {
  return {
    log_id: "evt-1",
    sequence: 7,
    time: new Date("2026-11-26T08:00:00.123Z"),
    ip: "10.0.3.7",
    user: "ana",
    action: "login",
    status: "failed",
    ...overrides,
  };
}

const stored = ({ log_id, ...rest }: LogSummary) => ({ _id: log_id, ...rest });

describe("log summaries", () => {
  it("reads back every field of every log, in order, from the packed columns", () => {
    const logs = [
      makeSummary(),
      makeSummary({ log_id: "evt-2", sequence: 8, ip: "2001:db8::1", user: 'bó "quoted"', status: "success" }),
    ];
    assert.deepEqual([...summariesOf(summaryColumns(logs.map(stored)))], logs);
  });

  it("carries source, message and metadata for the search layout, and says whether a block has them", () => {
    const logs = [
      makeSummary({
        source: "sshd",
        message: "Accepted password for ana",
        metadata: { port: 22, tls: false, proto: "ssh" },
      }),
      makeSummary({ log_id: "evt-2", message: "" }),
    ];
    assert.deepEqual(unpackSummaries(summaryColumns(logs.map(stored))), { logs, searchable: true });
    const legacy = new Binary(
      Buffer.from(
        JSON.stringify({
          log_ids: ["a"],
          sequences: [3],
          times: [0],
          ips: ["10.0.0.1"],
          users: ["u"],
          actions: ["x"],
          failed: [0],
        }),
      ),
    );
    assert.equal(unpackSummaries(legacy).searchable, false);
  });

  it("reads an empty block", () => {
    assert.deepEqual([...summariesOf(summaryColumns([]))], []);
  });

  it("still reads columns packed without deflating by earlier versions", () => {
    const plain = new Binary(
      Buffer.from(
        JSON.stringify({
          log_ids: ["a"],
          sequences: [3],
          times: [0],
          ips: ["10.0.0.1"],
          users: ["u"],
          actions: ["x"],
          failed: [1],
        }),
      ),
    );
    assert.deepEqual(
      [...summariesOf(plain)],
      [{ log_id: "a", sequence: 3, time: new Date(0), ip: "10.0.0.1", user: "u", action: "x", status: "failed" }],
    );
  });

  it("deflates the packed columns", () => {
    const logs = Array.from({ length: 500 }, (_, i) =>
      stored(makeSummary({ log_id: `evt-${i}`, sequence: i, user: `user-${i % 20}` })),
    );
    const packed = summaryColumns(logs) as Binary;
    assert.ok(packed.length() < JSON.stringify(logs).length / 5, `${packed.length()} bytes`);
    assert.equal([...summariesOf(packed)].length, 500);
  });

  it("still reads columns stored as arrays by earlier versions", () => {
    const log = makeSummary();
    const legacy = {
      log_ids: [log.log_id],
      sequences: [log.sequence],
      times: [log.time],
      ips: [log.ip!],
      users: [log.user],
      actions: [log.action],
      failed: [true],
    };
    assert.deepEqual([...summariesOf(legacy)], [log]);
  });
});
