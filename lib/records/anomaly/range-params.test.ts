import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AnomalyRangeParams, anomalyRangeInput, reachesSeverity, resolveAnomalyRange } from "./range-params";
import type { Finding } from "./finding";

const parse = (query: string) => AnomalyRangeParams.safeParse(anomalyRangeInput(new URLSearchParams(query)));
const problems = (query: string) => {
  const result = parse(query);
  assert.ok(!result.success, `${query} should be refused`);
  return result.error.issues.map((issue) => ({ path: issue.path.join("."), code: issue.code, message: issue.message }));
};

describe("AnomalyRangeParams", () => {
  it("defaults to the 24 hours before now and every type", () => {
    const now = new Date("2026-03-10T12:00:00Z");
    const result = parse("");
    assert.ok(result.success);
    assert.deepEqual(resolveAnomalyRange(result.data, now), { from: new Date("2026-03-09T12:00:00Z"), to: now });
  });

  it("counts 24 hours back from an explicit to, and keeps an explicit from", () => {
    const only = parse("to=2026-03-10T12:00:00%2B02:00");
    assert.ok(only.success);
    assert.deepEqual(resolveAnomalyRange(only.data), {
      from: new Date("2026-03-09T10:00:00Z"),
      to: new Date("2026-03-10T10:00:00Z"),
    });
    const both = parse("from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z");
    assert.ok(both.success);
    assert.equal(resolveAnomalyRange(both.data).from.toISOString(), "2026-03-01T00:00:00.000Z");
  });

  it("reads types repeated and comma-separated, once each", () => {
    const result = parse("type=off_hours,failure_burst&type=off_hours");
    assert.ok(result.success);
    assert.deepEqual(resolveAnomalyRange(result.data).types, ["off_hours", "failure_burst"]);
  });

  it("names an unknown type, a bad date, a reversed range and unknown parameters", () => {
    assert.match(
      problems("type=failure_burst,nonsense")[0]!.message,
      /unknown finding type "nonsense"; use failure_burst, /,
    );
    assert.deepEqual(
      problems("from=yesterday").map((p) => p.path),
      ["from"],
    );
    assert.deepEqual(problems("from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z")[0], {
      path: "from",
      code: "custom",
      message: "must not be after to",
    });
    assert.deepEqual(
      problems("user=bob").map((p) => p.code),
      ["unrecognized_keys"],
    );
    assert.deepEqual(
      problems("from=2026-03-01T00:00:00Z&from=2026-03-02T00:00:00Z").map((p) => p.path),
      ["from"],
    );
  });

  it("refuses __proto__ by name, once or repeated, instead of taking it as the input's prototype", () => {
    for (const query of ["__proto__=x", "__proto__=x&__proto__=y"]) {
      const result = parse(query);
      assert.ok(!result.success, query);
      assert.deepEqual(
        result.error.issues.map((issue) => [issue.code, (issue as { keys?: string[] }).keys]),
        [["unrecognized_keys", ["__proto__"]]],
        query,
      );
    }
  });

  it("accepts 31 days and refuses a longer range, naming from, also when to is now", () => {
    assert.ok(parse("from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z").success);
    const [tooLong] = problems("from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:01Z");
    assert.deepEqual([tooLong!.path, tooLong!.message.slice(0, 35)], ["from", "must be at most 31 days before to ("]);
    const [sinceLongAgo] = problems(`from=${new Date(Date.now() - 32 * 86_400_000).toISOString()}`);
    assert.equal(sinceLongAgo!.path, "from");
    assert.match(sinceLongAgo!.message, /before now/);
  });
});

describe("reachesSeverity", () => {
  const finding = (severity: Finding["severity"]) => ({ severity }) as Finding;
  it("is true when a finding has the severity or a higher one", () => {
    assert.equal(reachesSeverity([finding("medium"), finding("high")], "high"), true);
    assert.equal(reachesSeverity([finding("critical")], "high"), true);
    assert.equal(reachesSeverity([finding("low"), finding("medium")], "high"), false);
    assert.equal(reachesSeverity([], "low"), false);
  });
});
