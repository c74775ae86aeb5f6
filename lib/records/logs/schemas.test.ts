import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeIssues } from "@/lib/platform/http/validation";
import { LogInput, Timestamp } from "./schemas";

const LOG = { user: "alice", action: "login", status: "success" };
const problemsOf = (input: unknown) => {
  const result = LogInput.safeParse(input);
  return result.success ? [] : describeIssues(result.error.issues);
};

describe("LogInput", () => {
  it("refuses a metadata key __proto__ as JSON.parse makes it, which zod's record would leave out unseen", () => {
    for (const text of ['{"__proto__":1}', '{"x":1,"__proto__":{"polluted":true}}']) {
      assert.deepEqual(
        problemsOf({ ...LOG, metadata: JSON.parse(text) }),
        [{ field: "metadata.__proto__", message: "reserved metadata key" }],
        text,
      );
    }
    assert.deepEqual(problemsOf({ ...LOG, metadata: { toString: "x", valueOf: 1 } }), []);
  });
});

describe("Timestamp", () => {
  it("refuses days a month does not have, which Date.parse rolls over into the next month", () => {
    for (const text of [
      "2026-02-30T10:00:00Z",
      "2025-02-29T10:00:00Z",
      "1900-02-29T00:00:00Z",
      "2026-04-31T00:00:00+02:00",
      "2026-11-31T00:00Z",
    ]) {
      assert.equal(Timestamp.safeParse(text).success, false, text);
    }
    for (const text of [
      "2024-02-29T10:00:00Z",
      "2000-02-29T00:00:00Z",
      "0000-02-29T00:00:00Z",
      "2026-04-30T23:59:59.999999999-11:00",
      "2026-12-31T00:00Z",
    ]) {
      assert.equal(Timestamp.safeParse(text).success, true, text);
    }
  });
});
