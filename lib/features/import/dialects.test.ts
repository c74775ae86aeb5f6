import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";
import { neutraliseCsvCell } from "@/lib/records/logs/csv";
import { csvDialect, legacyLogId, rowReader, utcTimestamp } from "./dialects";
import { checkLegacyHash, type LegacyHashedFields } from "@/lib/records/integrity/legacy-hash";

const KEY = "flask-secret";
const hashOf = (row: Omit<LegacyHashedFields, "log_hash">, key = KEY) =>
  createHmac("sha256", key)
    .update(row.log_id + row.timestamp + row.ip + row.user + row.action + row.status)
    .digest("hex");

function makeFlaskRow(
  overrides: Partial<LegacyHashedFields & { _id: string }> = {},
): LegacyHashedFields & { _id: string } {
  const row = {
    _id: "65f1c0ffee0123456789abcd",
    timestamp: "2024-03-13T09:15:27.123456",
    ip: "192.168.1.10",
    user: "alice",
    action: "login attempt",
    status: "failure",
    log_id: "4f6c1e0a-7b7e-4a53-9d43-0c2b8f8b6a11",
    ...overrides,
  };
  return { ...row, log_hash: overrides.log_hash ?? (row.log_id ? hashOf(row) : "") };
}

describe("legacy hashes", () => {
  it("verifies the HMAC over the plain concatenation as written, hex in either case", () => {
    const row = makeFlaskRow();
    assert.equal(checkLegacyHash(row, KEY), "verified");
    assert.equal(checkLegacyHash({ ...row, log_hash: row.log_hash.toUpperCase() }, KEY), "verified");
    assert.equal(checkLegacyHash(row, "other-key"), "mismatched");
    assert.equal(checkLegacyHash({ ...row, action: "login_attempt" }, KEY), "mismatched");
    assert.equal(checkLegacyHash({ ...row, log_hash: "abc" }, KEY), "mismatched");
    assert.equal(checkLegacyHash({ ...row, log_id: "" }, KEY), "not_checkable");
    assert.equal(checkLegacyHash(row, undefined), "unchecked");
  });
});

describe("the original project's CSV rows", () => {
  const read = rowReader("legacy_csv", KEY);

  it("become logs with a UTC timestamp, an underscored action and the verdict in metadata", () => {
    const row = makeFlaskRow();
    const outcome = read(row, 2);
    assert.equal(outcome.kind, "log");
    assert.deepEqual(outcome.kind === "log" && outcome.input, {
      log_id: row.log_id,
      timestamp: "2024-03-13T09:15:27.123456Z",
      ip: "192.168.1.10",
      user: "alice",
      action: "login_attempt",
      status: "failed",
      metadata: { legacy_id: row._id, legacy_log_hash: row.log_hash, legacy_hash: "verified" },
    });
  });

  it("without a log_id get legacy-<_id> and are not checkable", () => {
    const outcome = read(makeFlaskRow({ log_id: "" }), 3);
    assert.equal(outcome.kind === "log" && outcome.input.log_id, "legacy-65f1c0ffee0123456789abcd");
    assert.equal(outcome.kind === "log" && outcome.legacy, "not_checkable");
    assert.equal(legacyLogId("ObjectId('65f1')"), legacyLogId("ObjectId('65f1')"));
    assert.match(legacyLogId("ObjectId('65f1')")!, /^legacy-h-[0-9a-f]{32}$/);
  });

  it("with a wrong hash are refused, naming log_hash, along with any other problem", () => {
    const outcome = read(makeFlaskRow({ log_hash: "00".repeat(32), ip: "999.1.1.1" }), 4);
    assert.equal(outcome.kind, "refused");
    assert.deepEqual(outcome.kind === "refused" && outcome.problems.map((p) => p.field), ["log_hash", "ip"]);
    assert.equal(outcome.kind === "refused" && outcome.legacy, "mismatched");
  });

  it("is recognised by its header, and a header of neither kind is refused with the expected columns", () => {
    assert.equal(
      csvDialect(["_id", "timestamp", "ip", "user", "action", "status", "log_hash", "log_id"]),
      "legacy_csv",
    );
    assert.equal(csvDialect(["log_id", "timestamp", "ip", "user", "action", "status", "mac"]), "ledgerline_csv");
    assert.throws(() => csvDialect(["when", "who"]), /neither the original project's .* unknown columns when, who/);
    assert.throws(() => csvDialect(["_id", "timestamp"]), /original project has the columns/);
    assert.throws(() => csvDialect([""]), /The file is empty: a CSV needs a header line/);
  });
});

describe("our CSV export's rows", () => {
  it("undo the formula neutralisation on every cell and parse metadata", () => {
    const read = rowReader("ledgerline_csv", undefined);
    const cells = {
      log_id: "l-1",
      timestamp: "2026-01-01T10:00:00.000Z",
      ip: "10.0.0.1",
      user: "=cmd",
      action: "-login",
      status: "success",
      source: "",
      message: "@x",
      metadata: '{"delta":-1}',
      mac: "ab",
    };
    const outcome = read(Object.fromEntries(Object.entries(cells).map(([k, v]) => [k, neutraliseCsvCell(v)])), 2);
    assert.deepEqual(outcome.kind === "log" && outcome.input, {
      log_id: "l-1",
      timestamp: "2026-01-01T10:00:00.000Z",
      ip: "10.0.0.1",
      user: "=cmd",
      action: "-login",
      status: "success",
      message: "@x",
      metadata: { delta: -1 },
    });
    assert.deepEqual(read({ ...cells, metadata: "{oops" }, 3), {
      kind: "refused",
      problems: [{ field: "metadata", message: "is not valid JSON" }],
    });
  });
});

describe("JSON rows", () => {
  const read = rowReader("json", undefined);
  const plain = {
    log_id: "j-1",
    timestamp: "2026-01-01 10:00:00",
    ip: "10.0.0.1",
    user: "bob",
    action: "login",
    status: "failed",
  };

  it("read offset-less timestamps as UTC and require a timestamp", () => {
    assert.equal(
      read(plain, 1).kind === "log" && (read(plain, 1) as { input: { timestamp: string } }).input.timestamp,
      "2026-01-01T10:00:00Z",
    );
    const { timestamp: _t, ...untimed } = plain;
    assert.deepEqual(read(untimed, 1), {
      kind: "refused",
      problems: [{ field: "timestamp", message: "is required (an import has no receive time to use instead)" }],
    });
    assert.equal(utcTimestamp("2026-01-01T10:00:00+02:00"), "2026-01-01T10:00:00+02:00");
  });

  it("give a row without log_id an id that is the same on every import of the file", () => {
    const { log_id: _id, ...anonymous } = plain;
    const idOf = (line: number) => (read(anonymous, line) as { input: { log_id: string } }).input.log_id;
    assert.equal(idOf(7), idOf(7));
    assert.notEqual(idOf(7), idOf(8));
  });

  it("take the log lines of our export, skip its other lines, and refuse a forged legacy verdict", () => {
    const line = {
      type: "log",
      ...plain,
      timestamp: "2026-01-01T10:00:00Z",
      received_at: "2026-01-01T10:00:01.000Z",
      sequence: 4,
      key_id: "k",
      mac: "ab",
      metadata: { legacy_hash: "verified" },
    };
    assert.equal(read(line, 5).kind, "log");
    assert.deepEqual(read({ type: "checkpoint", number: 1 }, 6), { kind: "skipped" });
    const forged = read({ ...plain, metadata: { legacy_hash: "verified" } }, 7);
    assert.equal(forged.kind === "refused" && forged.problems[0]!.field, "metadata.legacy_hash");
    const unknown = read({ ...plain, extra: 1 }, 8);
    assert.deepEqual(unknown.kind === "refused" && unknown.problems, [
      { field: "extra", message: "is not a known field" },
    ]);
  });
});
