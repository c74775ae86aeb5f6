import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { LogInput } from "@/lib/records/logs/schemas";
import { DocumentIds } from "./document-ids";

const log = (overrides: Partial<LogInput> = {}): LogInput => ({
  timestamp: "2026-12-07T10:00:00Z",
  ip: "203.0.113.9",
  user: "root",
  action: "ssh_login",
  status: "failed",
  ...overrides,
});

describe("DocumentIds", () => {
  it("gives a re-sent request the same ids, and identical documents within one request ids of their own", () => {
    const first = new DocumentIds("key:a");
    const again = new DocumentIds("key:a");
    const ids = [
      first.next([log()], undefined),
      first.next([log()], undefined),
      first.next([log({ user: "bob" })], undefined),
    ];
    assert.deepEqual(
      [again.next([log()], undefined), again.next([log()], undefined), again.next([log({ user: "bob" })], undefined)],
      ids,
    );
    assert.equal(new Set(ids.flat()).size, 3);
    assert.match(ids[0]![0]!, /^es-[0-9a-f]{32}$/);
  });

  it("tells senders apart, and metadata in any key order is the same document", () => {
    const id = new DocumentIds("key:a").next([log({ metadata: { a: 1, b: 2 } })], undefined);
    assert.deepEqual(new DocumentIds("key:a").next([log({ metadata: { b: 2, a: 1 } })], undefined), id);
    assert.notDeepEqual(new DocumentIds("key:b").next([log({ metadata: { a: 1, b: 2 } })], undefined), id);
  });

  it("uses the document's _id, numbering its further logs", () => {
    assert.deepEqual(new DocumentIds("key:a").next([log(), log(), log()], "evt-1"), ["evt-1", "evt-1:2", "evt-1:3"]);
  });

  it("gives a random id to logs without a time of their own", () => {
    const ids = new DocumentIds("key:a");
    const { timestamp: _time, ...untimed } = log();
    assert.notDeepEqual(ids.next([untimed], undefined), ids.next([untimed], undefined));
  });
});
