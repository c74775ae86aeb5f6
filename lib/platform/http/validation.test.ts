import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LogInput } from "@/lib/records/logs/schemas";
import { describeIssues } from "./validation";

const problemsOf = (input: unknown, index?: number) => describeIssues(LogInput.safeParse(input).error!.issues, index);

describe("describeIssues", () => {
  it("says a missing field is required and a wrong type what it must be", () => {
    assert.deepEqual(problemsOf({ ip: "10.0.0.1", user: 5, action: "x" }, 3), [
      { index: 3, field: "user", message: "must be a string, not number" },
      { index: 3, field: "status", message: "is required" },
    ]);
  });

  it("names each unknown field and each bad metadata key by its path", () => {
    const problems = problemsOf({
      ip: "10.0.0.1",
      user: "a",
      action: "b",
      status: "success",
      colour: 1,
      metadata: { $x: 1 },
    });
    assert.deepEqual(
      problems.map((p) => [p.field, p.message]),
      [
        ["metadata.$x", "metadata keys must not start with '$'"],
        ["colour", "is not a known field"],
      ],
    );
  });

  it("leaves out the index when the input is not part of a batch", () => {
    assert.equal("index" in problemsOf({})[0]!, false);
  });
});
