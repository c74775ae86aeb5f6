import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiError } from "@/lib/platform/http/errors";
import type { FieldProblem } from "@/lib/platform/http/validation";
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
      status: ["failed"],
      ip: ["10.0.3.0/24"],
      user: ["alice"],
      action: ["login"],
      source: ["auth-1"],
      q: "wrong password",
      tz: "Europe/Paris",
      cursor: { time: new Date("2026-11-26T08:30:00Z"), sequence: 42, sort: "asc" },
      limit: 7,
      sort: "asc",
      format: "ndjson",
    });
  });

  it("resolves a range against now into absolute from and to", () => {
    for (const [range, ms] of [
      ["15m", 900_000],
      ["1h", 3_600_000],
      ["24h", 86_400_000],
      ["7d", 604_800_000],
      ["90d", 7_776_000_000],
    ] as const) {
      const filter = parse(`range=${range}`);
      assert.deepEqual([filter.from, filter.to], [new Date(NOW.getTime() - ms), NOW], range);
    }
  });

  it("ignores empty parameters, as an HTML form sends them", () => {
    assert.deepEqual(parse("user=&q=&status=&range="), parse(""));
  });

  it("names each unknown parameter and each repeated one that takes one value", () => {
    assert.deepEqual(
      problemsOf("q=a&colour=red&q=b&$where=1&user=a&user=b").map(([field, message]) => [
        field,
        message.split(" (")[0],
      ]),
      [
        ["q", "is given 2 times; give it once"],
        ["colour", "is not a known parameter"],
        ["$where", "is not a known parameter"],
      ],
    );
  });

  it("refuses a range together with from or to, and to before from", () => {
    assert.deepEqual(problemsOf("range=1h&from=2026-11-26T08:00:00Z"), [
      ["range", "cannot be combined with from or to; use either a range or from/to"],
    ]);
    assert.deepEqual(problemsOf("from=2026-11-26T08:00:00Z&to=2026-11-26T07:59:59Z"), [
      ["to", "must not be before from"],
    ]);
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
      ["format=pdf", "format", /'csv' or 'xlsx' or 'ndjson'/],
      ["cursor=garbage!", "cursor", /not a valid page cursor/],
      ["user=a%00b", "user", /NUL/],
      [`q=${"x".repeat(10_000)}`, "q", /at most 256 characters/],
    ];
    for (const [query, field, message] of cases) {
      const problems = problemsOf(query);
      assert.ok(
        problems.some(([f, m]) => f === field && message.test(m)),
        `${query.slice(0, 40)}: ${JSON.stringify(problems)}`,
      );
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
    assert.deepEqual([filter.user, filter.q, filter.action], [['{"$ne":null}'], ".*", ["$where"]]);
  });

  it("spells a time zone as the IANA database does, keeping Asia/Kolkata rather than ICU's Asia/Calcutta", () => {
    assert.deepEqual([parse("tz=Asia/Kolkata").tz, parse("tz=europe/paris").tz], ["Asia/Kolkata", "Europe/Paris"]);
  });
});

describe("parseLogFilter's lists", () => {
  it("reads repeated values as any of, exclude_ values as none of, and meta.<key> by its dotted key", () => {
    const filter = parse(
      "user=a&user=b&user=a&user=&status=failed&status=success&ip=10.0.0.0/8&ip=2001:db8::1&source=s" +
        "&exclude_user=svc-backup&exclude_ip=10.0.3.0/24&exclude_action=logout&exclude_status=failed" +
        "&meta.event.outcome=failure&meta.port=22&meta.port=443&exclude_meta.host.name=db-1&exclude_source=",
    );
    assert.deepEqual(filter, {
      user: ["a", "b"],
      status: ["failed", "success"],
      ip: ["10.0.0.0/8", "2001:db8::1"],
      source: ["s"],
      meta: { "event.outcome": ["failure"], port: ["22", "443"] },
      exclude: {
        user: ["svc-backup"],
        ip: ["10.0.3.0/24"],
        action: ["logout"],
        status: ["failed"],
        meta: { "host.name": ["db-1"] },
      },
      limit: 50,
      sort: "desc",
      format: "csv",
    });
  });

  it("leaves out a list whose values are all empty", () => {
    assert.deepEqual(parse("user=&exclude_ip=&meta.a="), parse(""));
  });

  it("names the parameter of each bad value, key or count", () => {
    const twentyOne = Array.from({ length: 21 }, (_, index) => `user=u${index}`).join("&");
    const elevenKeys = Array.from({ length: 11 }, (_, index) => `meta.k${index}=v`).join("&");
    const cases: [string, string, RegExp][] = [
      ["ip=10.0.0.1&ip=banana", "ip", /IPv4 or IPv6 address, or a CIDR range/],
      ["exclude_ip=10.0.3.5/24", "exclude_ip", /did you mean 10.0.3.0\/24/],
      ["status=success&status=failure", "status", /'success' or 'failed'/],
      ["exclude_status=nope", "exclude_status", /'success' or 'failed'/],
      [`user=a&user=${"u".repeat(300)}`, "user", /at most 256 characters/],
      ["exclude_action=a%00b", "exclude_action", /NUL/],
      [twentyOne, "user", /given 21 times; give at most 20 values/],
      [elevenKeys, "meta.k10", /at most 10 meta/],
      ["meta.=x", "meta.", /needs a metadata key/],
      ["meta.a..b=x", "meta.a..b", /empty metadata key segment/],
      ["meta.a.=x", "meta.a.", /empty metadata key segment/],
      ["exclude_meta..a=x", "exclude_meta..a", /empty metadata key segment/],
      ["meta.$where=x", "meta.$where", /must not contain '\$'/],
      ["meta.a.$gt=x", "meta.a.$gt", /must not contain '\$'/],
      ["meta.host name=x", "meta.host name", /only letters, digits/],
      ["meta.__proto__=x", "meta.__proto__", /reserved/],
      ["meta.a.constructor=x", "meta.a.constructor", /reserved/],
      [`meta.${"k".repeat(65)}=x`, `meta.${"k".repeat(65)}`, /segment longer than 64/],
      [`meta.${"k.".repeat(64)}k=x`, `meta.${"k.".repeat(64)}k`, /longer than 128/],
      [`meta.k=${"v".repeat(1025)}`, "meta.k", /at most 1024 characters/],
      ["exclude_q=x", "exclude_q", /not a known parameter/],
      ["exclude_meta=x", "exclude_meta", /not a known parameter/],
      ["meta=x", "meta", /not a known parameter/],
    ];
    for (const [query, field, message] of cases) {
      const problems = problemsOf(query);
      assert.ok(
        problems.some(([f, m]) => f === field && message.test(m)),
        `${query.slice(0, 40)}: ${JSON.stringify(problems)}`,
      );
    }
  });

  it("still reads a hostile value as plain text, and the keys only as validated paths", () => {
    const filter = parse(`meta.a=${encodeURIComponent('{"$gt":""}')}&exclude_user=%24where`);
    assert.deepEqual([filter.meta, filter.exclude], [{ a: ['{"$gt":""}'] }, { user: ["$where"] }]);
  });
});

describe("filterToSearchParams", () => {
  it("round-trips every filter, leaving defaults out", () => {
    const filters: LogFilter[] = [
      parse(""),
      parse("range=1h&status=success&q=a%26b%3Dc+%2B"),
      parse(
        "from=2026-11-26T08:00:00.123%2B01:00&ip=2001:db8::/32&user=zo%C3%AB&source=s&tz=UTC&limit=500&format=ndjson",
      ),
      parse(
        `sort=asc&cursor=${encodeCursor({ time: NOW, sequence: 9, sort: "asc" })}&to=2026-11-26T08:00:00Z&action=x`,
      ),
      parse(
        "user=a&user=b%26c&status=failed&status=success&ip=10.0.0.0/8&ip=::1&exclude_user=d&exclude_ip=10.0.3.0/24&exclude_source=e",
      ),
      parse(
        "meta.event.outcome=failure&meta.port=22&meta.port=443&exclude_meta.host.name=db-1&exclude_meta.event.outcome=success&q=x",
      ),
    ];
    for (const filter of filters) {
      assert.deepEqual(parseLogFilter(filterToSearchParams(filter), new Date(0)), filter);
    }
    assert.equal(filterToSearchParams(parse("")).toString(), "");
    assert.equal(
      filterToSearchParams(parse("range=1h")).toString(),
      "from=2026-11-26T08%3A00%3A00.000Z&to=2026-11-26T09%3A00%3A00.000Z",
    );
    assert.equal(
      filterToSearchParams(parse("exclude_meta.a.b=2&meta.c=1&exclude_user=x&user=y&user=z")).toString(),
      "user=y&user=z&meta.c=1&exclude_user=x&exclude_meta.a.b=2",
    );
  });
});

describe("filterToSearchParams on generated filters", () => {
  it("round-trips 300 random filters with repeated values, exclusions and metadata keys", () => {
    let state = 11;
    const rand = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(values: readonly T[]): T => values[Math.floor(rand() * values.length)]!;
    const some = <T>(values: readonly T[]): T[] => [
      ...new Set(Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(values))),
    ];
    const TEXT = ["a", "a b", "x&y=z", "100%", "+1", "zoë", "$where", '{"$ne":null}', "é\u0301", "#frag", "?q"];
    const LISTS = {
      status: ["success", "failed"] as const,
      ip: ["10.0.0.1", "10.0.0.0/8", "2001:db8::/32", "::ffff:10.0.3.9"],
      user: TEXT,
      action: TEXT,
      source: TEXT,
    };
    const KEYS = ["port", "event.outcome", "host.name", "a-b_c@d", "x.y.z"];
    for (let round = 0; round < 300; round++) {
      const filter: LogFilter = {
        limit: pick([50, 7]),
        sort: pick(["desc", "asc"] as const),
        format: pick(["csv", "ndjson"] as const),
      };
      const exclude: NonNullable<LogFilter["exclude"]> = {};
      for (const target of [filter, exclude]) {
        for (const [field, values] of Object.entries(LISTS))
          if (rand() < 0.3) Object.assign(target, { [field]: some(values) });
        for (const key of KEYS) if (rand() < 0.2) target.meta = { ...target.meta, [key]: some(TEXT) };
      }
      if (Object.keys(exclude).length > 0) filter.exclude = exclude;
      if (rand() < 0.3) filter.q = pick(TEXT);
      assert.deepEqual(parseLogFilter(filterToSearchParams(filter), NOW), filter, JSON.stringify(filter));
    }
  });
});
