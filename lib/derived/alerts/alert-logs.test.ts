import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeCursor } from "@/lib/records/logs/cursor";
import { alertLogsFilter, parseAlertLogsPage } from "./alert-logs";

const start = new Date("2026-11-25T10:00:00.000Z");
const end = new Date("2026-11-25T10:04:30.000Z");

describe("alertLogsFilter", () => {
  it("filters to the subject the alert has over its window, oldest first", () => {
    const filter = alertLogsFilter({ ip: "203.0.113.66", start, end }, {});
    assert.deepEqual(filter, { ip: ["203.0.113.66"], from: start, to: end, limit: 25, sort: "asc", format: "csv" });
  });
});

describe("parseAlertLogsPage", () => {
  it("reads a cursor of the alert's order", () => {
    const cursor = { time: start, sequence: 12, sort: "asc" as const };
    assert.deepEqual(parseAlertLogsPage(new URLSearchParams({ cursor: encodeCursor(cursor) })), { page: { cursor } });
  });

  it("names a cursor of another order, a malformed one and an unknown parameter", () => {
    const newestFirst = encodeCursor({ time: start, sequence: 12, sort: "desc" });
    const parsed = parseAlertLogsPage(new URLSearchParams({ before: newestFirst, page: "2" }));
    assert.ok("problems" in parsed);
    assert.deepEqual(parsed.problems.map((problem) => problem.field).sort(), ["page"]);
    const wrong = parseAlertLogsPage(new URLSearchParams({ before: newestFirst }));
    assert.ok("problems" in wrong);
    assert.match(wrong.problems[0]!.message, /another order/);
    const malformed = parseAlertLogsPage(new URLSearchParams({ cursor: "nonsense!" }));
    assert.ok("problems" in malformed);
    assert.equal(malformed.problems[0]!.field, "cursor");
  });
});
