import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  listEntries,
  parseExplorerFilter,
  singleValues,
  toSearchParams,
  withDefaultRange,
  withoutEntry,
} from "./explorer-params";

const NOW = new Date("2026-11-26T12:00:00Z");

describe("the explorer's URL", () => {
  it("shows the last 24 hours when no time is given", () => {
    const parsed = parseExplorerFilter(new URLSearchParams("status=failed"), NOW);
    assert.ok("filter" in parsed);
    assert.deepEqual([parsed.filter.from, parsed.filter.to], [new Date("2026-11-25T12:00:00Z"), NOW]);
    assert.equal(withDefaultRange(new URLSearchParams("from=2026-01-01T00:00:00Z")).get("range"), null);
  });

  it("keeps repeated parameters: a list's values, or a single parameter given twice, which the filter names", () => {
    const params = toSearchParams({ user: ["alice", "bob"], status: "failed", ip: undefined });
    assert.deepEqual(
      [...params.entries()],
      [
        ["user", "alice"],
        ["user", "bob"],
        ["status", "failed"],
      ],
    );
    const parsed = parseExplorerFilter(params, NOW);
    assert.ok("filter" in parsed);
    assert.deepEqual(parsed.filter.user, ["alice", "bob"]);
    const twice = parseExplorerFilter(toSearchParams({ sort: ["asc", "desc"] }), NOW);
    assert.ok("problems" in twice);
    assert.match(JSON.stringify(twice.problems), /sort/);
  });

  it("returns each bad value as a problem naming its field", () => {
    const parsed = parseExplorerFilter(new URLSearchParams("ip=banana&limit=0&colour=red"), NOW);
    assert.ok("problems" in parsed);
    assert.deepEqual(parsed.problems.map((p) => p.field).sort(), ["colour", "ip", "limit"]);
  });
});

describe("the explorer's removable filters", () => {
  const params = new URLSearchParams(
    "range=1h&user=a&user=b&exclude_ip=10.0.0.0/8&meta.host.name=db&user=&q=x&cursor=abc",
  );

  it("lists the repeatable filters in order, the others as single values", () => {
    assert.deepEqual(listEntries(params), [
      ["user", "a"],
      ["user", "b"],
      ["exclude_ip", "10.0.0.0/8"],
      ["meta.host.name", "db"],
    ]);
    assert.deepEqual(singleValues(params), { range: "1h", q: "x", cursor: "abc" });
  });

  it("removes one value, back on the first page, keeping the rest as given", () => {
    assert.equal(
      withoutEntry(params, ["user", "a"]).toString(),
      "range=1h&user=b&exclude_ip=10.0.0.0%2F8&meta.host.name=db&user=&q=x",
    );
  });
});
