import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiError } from "@/lib/platform/http/errors";
import { parseBulkBody } from "./bulk-body";

const ndjson = (...lines: unknown[]) =>
  lines.map((line) => (typeof line === "string" ? line : JSON.stringify(line))).join("\n") + "\n";

function refusal(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ApiError);
    return error;
  }
  assert.fail("expected a refusal");
}

describe("parseBulkBody", () => {
  it("pairs each action with its document; delete has none; blank lines and CRLF are skipped", () => {
    const items = parseBulkBody(
      ndjson(
        { index: { _index: "auth", _id: "a-1" } },
        { message: "one" },
        "",
        { delete: { _id: "a-0" } },
        { create: {} },
        { message: "two" },
      ).replace(/\n/g, "\r\n"),
      10,
    );
    assert.deepEqual(
      items.map(({ operation, line, index, id, problems, document }) => ({
        operation,
        line,
        index,
        id,
        problems,
        document,
      })),
      [
        {
          operation: "index",
          line: 1,
          index: "auth",
          id: "a-1",
          problems: [],
          document: { value: { message: "one" } },
        },
        { operation: "delete", line: 4, index: undefined, id: "a-0", problems: [], document: undefined },
        {
          operation: "create",
          line: 5,
          index: undefined,
          id: undefined,
          problems: [],
          document: { value: { message: "two" } },
        },
      ],
    );
  });

  it("refuses one item for a document that is not a JSON object or metadata it cannot take, naming the field", () => {
    const [notJson, notObject, badMeta] = parseBulkBody(
      ndjson({ index: {} }, "{nope", { index: {} }, "[1]", { index: { _id: "bad id", op: 1, _type: "_doc" } }, {}),
      10,
    );
    assert.match((notJson!.document as { problem: string }).problem, /not valid JSON/);
    assert.equal((notObject!.document as { problem: string }).problem, "the document must be a JSON object");
    assert.deepEqual(
      badMeta!.problems.map((problem) => problem.field),
      ["index._id", "index.op"],
    );
  });

  it("refuses the whole request for a line that is not an action, or an action without its document, naming the line", () => {
    for (const body of [
      ndjson({ index: {} }, {}, { upsert: {} }, {}),
      ndjson({ index: {}, create: {} }, {}),
      ndjson({ index: [] }, {}),
      ndjson("not json"),
      ndjson({ index: {} }),
    ]) {
      const error = refusal(() => parseBulkBody(body, 10));
      assert.equal(error.status, 400, body);
    }
    assert.deepEqual(
      (
        refusal(() => parseBulkBody(ndjson({ index: {} }, {}, { upsert: {} }, {}), 10)).details as { field: string }[]
      )[0]!.field,
      "line 3",
    );
  });

  it("answers 413 past the item limit and 400 for no action at all", () => {
    assert.equal(
      refusal(() => parseBulkBody(ndjson({ index: {} }, {}, { index: {} }, {}, { index: {} }, {}), 2)).status,
      413,
    );
    assert.equal(refusal(() => parseBulkBody("\n\n", 2)).status, 400);
  });
});
