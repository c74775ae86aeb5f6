import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiError } from "@/lib/http/errors";
import type { FieldProblem } from "@/lib/http/validation";
import { encodeCursor } from "./cursor";
import { filterToSearchParams, parseLogFilter, type LogFilter } from "./filters";

const NOW = new Date("2026-11-26T09:00:00.000Z");
const parse = (query: string) => parseLogFilter(new URLSearchParams(query), NOW);

function problemsOf(query: string): [string, string][] {
  try {
    parse(query);
  } catch (error) {
    assert.ok(error instanceof ApiError && error.code === "validation_failed", String(error));
    assert.match(error.message, /no logs were read/);
    return (error.details as FieldProblem[]).map((problem) => [problem.field, problem.message]);
  }
  assert.fail(`'${query}' was accepted`);
}

describe("parseLogFilter", () => {
  it("gives the defaults for no parameters", () => {
    assert.deepEqual(parse(""), { limit: 50, sort: "desc", format: "csv" });
  });

  it("reads every parameter into typed values", () => {
    const cursor = encodeCursor({ time: new Date("2026-11-26T08:30:00Z"), sequence: 42, sort: "asc" });
    const filter = parse(
      `from=2026-11-26T10:00:00%2B02:00&to=2026-11-26T09:00:00Z&status=failed&ip=10.0.3.0/24&user=alice&action=login` +
        `&source=auth-1&q=wrong+password&tz=europe/paris&cursor=${cursor}&limit=7&sort=asc&format=ndjson`,
    );
    assert.deepEqual(filter, {
      from: new Date("2026-11-26T08:00:00Z"),
      to: new Date("2026-11-26T09:00:00Z"),
      status: "failed",
      ip: "10.0.3.0/24",
      user: "alice",
      action: "login",
      source: "auth-1",
      q: "wrong password",
      tz: "Europe/Paris",
      cursor: { time: new Date("2026-11-26T08:30:00Z"), sequence: 42, sort: "asc" },
      limit: 7,
      sort: "asc",
      format: "ndjson",
    });
  });

  it("resolves a range against now into absolute from and to", () => {
    for (const [range, ms] of [["15m", 900_000], ["1h", 3_600_000], ["24h", 86_400_000], ["7d", 604_800_000], ["90d", 7_776_000_000]] as const) {
      const filter = parse(`range=${range}`);
      assert.deepEqual([filter.from, filter.to], [new Date(NOW.getTime() - ms), NOW], range);
    }
  });

  it("ignores empty parameters, as an HTML form sends them", () => {
    assert.deepEqual(parse("user=&q=&status=&range="), parse(""));
  });

  it("names each unknown and each repeated parameter", () => {
    assert.deepEqual(problemsOf("user=a&colour=red&user=b&$where=1").map(([field, message]) => [field, message.split(" (")[0]]), [
      ["user", "is given 2 times; give it once"],
      ["colour", "is not a known parameter"],
      ["$where", "is not a known parameter"],
    ]);
  });

  it("refuses a range together with from or to, and to before from", () => {
    assert.deepEqual(problemsOf("range=1h&from=2026-11-26T08:00:00Z"), [
      ["range", "cannot be combined with from or to; use either a range or from/to"],
    ]);
    assert.deepEqual(problemsOf("from=2026-11-26T08:00:00Z&to=2026-11-26T07:59:59Z"), [["to", "must not be before from"]]);
  });

  it("says what is wrong with each bad value", () => {
    const cases: [string, string, RegExp][] = [
      ["from=2026-11-26", "from", /ISO 8601/],
      ["to=yesterday", "to", /ISO 8601/],
      ["range=0m", "range", /15m, 1h, 24h or 7d/],
      ["range=1w", "range", /15m/],
      ["range=3661d", "range", /at most 3660d/],
      ["range=99999999999d", "range", /at most/],
      ["status=failure", "status", /'success' or 'failed'/],
      ["ip=10.0.0", "ip", /IPv4 or IPv6 address, or a CIDR range/],
      ["ip=10.0.3.5/24", "ip", /did you mean 10.0.3.0\/24/],
      ["ip=" + "1".repeat(100), "ip", /at most 64 characters/],
      ["tz=Mars/Base", "tz", /IANA time zone/],
      ["limit=0", "limit", /from 1 to 500/],
      ["limit=501", "limit", /from 1 to 500/],
      ["limit=1e2", "limit", /from 1 to 500/],
      ["sort=newest", "sort", /'desc' or 'asc'/],
      ["format=xlsx", "format", /'csv' or 'ndjson'/],
      ["cursor=garbage!", "cursor", /not a valid page cursor/],
      ["user=a%00b", "user", /NUL/],
      [`q=${"x".repeat(10_000)}`, "q", /at most 256 characters/],
    ];
    for (const [query, field, message] of cases) {
      const problems = problemsOf(query);
      assert.ok(problems.some(([f, m]) => f === field && message.test(m)), `${query.slice(0, 40)}: ${JSON.stringify(problems)}`);
    }
  });

  it("refuses a cursor made for the other sort order", () => {
    const cursor = encodeCursor({ time: NOW, sequence: 1, sort: "desc" });
    assert.deepEqual(problemsOf(`cursor=${cursor}&sort=asc`), [
      ["cursor", "belongs to sort=desc, not sort=asc; start again from the first page"],
    ]);
  });

  it("keeps hostile text as plain strings", () => {
    const filter = parse(`user=${encodeURIComponent('{"$ne":null}')}&q=${encodeURIComponent(".*")}&action=%24where`);
    assert.deepEqual([filter.user, filter.q, filter.action], ['{"$ne":null}', ".*", "$where"]);
  });

  it("spells a time zone as the IANA database does, keeping Asia/Kolkata rather than ICU's Asia/Calcutta", () => {
    assert.deepEqual([parse("tz=Asia/Kolkata").tz, parse("tz=europe/paris").tz], ["Asia/Kolkata", "Europe/Paris"]);
  });
});

describe("filterToSearchParams", () => {
  it("round-trips every filter, leaving defaults out", () => {
    const filters: LogFilter[] = [
      parse(""),
      parse("range=1h&status=success&q=a%26b%3Dc+%2B"),
      parse("from=2026-11-26T08:00:00.123%2B01:00&ip=2001:db8::/32&user=zo%C3%AB&source=s&tz=UTC&limit=500&format=ndjson"),
      parse(`sort=asc&cursor=${encodeCursor({ time: NOW, sequence: 9, sort: "asc" })}&to=2026-11-26T08:00:00Z&action=x`),
    ];
    for (const filter of filters) {
      assert.deepEqual(parseLogFilter(filterToSearchParams(filter), new Date(0)), filter);
    }
    assert.equal(filterToSearchParams(parse("")).toString(), "");
    assert.equal(filterToSearchParams(parse("range=1h")).toString(), "from=2026-11-26T08%3A00%3A00.000Z&to=2026-11-26T09%3A00%3A00.000Z");
  });
});
