import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { baselineRange, createBaselineBuilder, detectAnomalies, parseDetectionConfig } from "@/lib/records/anomaly";
import { LogInput } from "@/lib/records/logs/schemas";
import { SERVICE_ACTIONS, workingHours, USERS } from "./log-vocabulary";
import { BUSIEST_USER, generateLogInputs, type GeneratedLogInput } from "./logs";

const start = new Date("2025-01-06T00:00:00.000Z");
const end = new Date("2025-01-20T00:00:00.000Z");
const generate = (count: number, seed = 7) => [...generateLogInputs({ count, seed, start, end })];
const logs = generate(5_000);

function failuresByIp(items: GeneratedLogInput[]): Map<string, GeneratedLogInput[]> {
  const byIp = new Map<string, GeneratedLogInput[]>();
  for (const log of items.filter((item) => item.status === "failed" && item.action === "login")) {
    byIp.set(log.ip, [...(byIp.get(log.ip) ?? []), log]);
  }
  return byIp;
}

describe("generateLogInputs", () => {
  it("yields logs that the ingestion schema accepts unchanged", () => {
    for (const [index, log] of logs.entries()) {
      const parsed = LogInput.safeParse(log);
      assert.ok(parsed.success, `log ${index}: ${JSON.stringify(parsed.error?.issues)}`);
      assert.deepEqual(parsed.data, log);
    }
  });

  it("yields the same logs for the same seed and different logs for another", () => {
    assert.deepEqual(generate(5_000), logs);
    assert.notDeepEqual(generate(5_000, 8), logs);
  });

  it("yields unique log_ids in time order within [start, end), with Z timestamps", () => {
    assert.equal(new Set(logs.map((log) => log.log_id)).size, logs.length);
    let previous = start.getTime();
    for (const log of logs) {
      assert.match(log.timestamp, /Z$/);
      const time = Date.parse(log.timestamp);
      assert.ok(time >= previous && time < end.getTime(), `${log.log_id} at ${log.timestamp} is out of order`);
      previous = time;
    }
  });

  it("fails about 8% of the time", () => {
    const rate = logs.filter((log) => log.status === "failed").length / logs.length;
    assert.ok(rate > 0.06 && rate < 0.1, `failure rate ${rate}`);
  });

  it("contains failed-login bursts: 5 or more failures from one address within 10 minutes", () => {
    const bursts = [...failuresByIp(logs).values()].filter((failures) =>
      failures.some((first, i) => {
        const fifth = failures[i + 4];
        return fifth !== undefined && Date.parse(fifth.timestamp) - Date.parse(first.timestamp) <= 10 * 60_000;
      }),
    );
    assert.ok(bursts.length >= 3, `${bursts.length} bursts`);
  });

  it("contains password spraying: one address failing against 10 or more users", () => {
    const sprays = [...failuresByIp(logs).values()].filter(
      (failures) => new Set(failures.map((log) => log.user)).size >= 10,
    );
    assert.ok(sprays.length >= 1);
  });

  it("comes mostly from 10.0.0.0/16, with some external IPv4 and IPv6 addresses", () => {
    const internal = logs.filter((log) => log.ip.startsWith("10.0.")).length;
    assert.ok(internal / logs.length > 0.85);
    assert.ok(logs.some((log) => /^\d+\.\d+\.\d+\.\d+$/.test(log.ip) && !log.ip.startsWith("10.")));
    assert.ok(logs.some((log) => log.ip.includes(":")));
  });

  it("has about 200 users with skewed activity, BUSIEST_USER first, and some night activity", () => {
    const counts = new Map<string, number>();
    for (const log of logs) counts.set(log.user, (counts.get(log.user) ?? 0) + 1);
    assert.ok(counts.size > 150 && counts.size <= 200, `${counts.size} users`);
    const [busiest] = [...counts].sort((a, b) => b[1] - a[1]);
    assert.equal(busiest![0], BUSIEST_USER);
    const night = logs.filter((log) => new Date(log.timestamp).getUTCHours() < 5).length;
    assert.ok(night > 0 && night / logs.length < 0.15, `${night} logs at night`);
  });
});

describe("generateLogInputs with normal traffic", () => {
  const seedEnd = new Date("2026-03-13T16:20:00.000Z");
  const seedStart = new Date(seedEnd.getTime() - 7 * 86_400_000);
  const normal = (seed: number) => [
    ...generateLogInputs({ count: 5_000, seed, start: seedStart, end: seedEnd, traffic: "normal" }),
  ];
  const logs = normal(42);

  it("leaves the default (benchmark) output unchanged", () => {
    const hash = createHash("sha256");
    for (const log of generate(5_000)) hash.update(`${JSON.stringify(log)}\n`);
    assert.equal(hash.digest("hex"), "19c614701b02174c5846ac7a200f0d9785a0f6a1bd2b9c640766a6cbbbc19f1d");
  });

  it("yields the same logs for the same seed and different logs for another", () => {
    assert.deepEqual(normal(42), logs);
    assert.notDeepEqual(normal(43), logs);
  });

  it("yields logs ingestion accepts, in time order within the range, with a realistic failure rate", () => {
    let previous = seedStart.getTime();
    for (const log of logs) {
      assert.ok(LogInput.safeParse(log).success);
      const time = Date.parse(log.timestamp);
      assert.ok(time >= previous && time < seedEnd.getTime());
      previous = time;
    }
    const rate = logs.filter((log) => log.status === "failed").length / logs.length;
    assert.ok(rate > 0.03 && rate < 0.09, `failure rate ${rate}`);
    assert.ok(new Set(logs.map((log) => log.action)).size >= 10);
  });

  it("keeps people to their shifts and devices inside 10.0.0.0/16", () => {
    for (const log of logs) {
      assert.match(log.ip, /^10\.0\.\d+\.\d+$/);
      if (SERVICE_ACTIONS.has(log.user)) continue;
      const { start, end } = workingHours(USERS.indexOf(log.user));
      const hour = new Date(log.timestamp).getUTCHours();
      assert.ok(hour >= start && hour < end, `${log.user} at ${log.timestamp}`);
    }
  });

  it("holds no high or critical finding, and few others, for default detection of its last 24 hours", () => {
    const config = parseDetectionConfig();
    const from = new Date(seedEnd.getTime() - 86_400_000);
    const period = baselineRange(from, config);
    const builder = createBaselineBuilder(config);
    const detectable = logs.map((log) => ({ ...log, time: new Date(log.timestamp) }));
    for (const log of detectable) if (log.time >= period.start && log.time < period.end) builder.push(log);
    const findings = detectAnomalies(
      detectable.filter((log) => log.time >= from),
      config,
      builder.build(),
    );
    assert.deepEqual(
      findings.filter((f) => f.severity === "high" || f.severity === "critical"),
      [],
    );
    assert.ok(findings.length <= 15, `${findings.length} findings`);
  });
});
