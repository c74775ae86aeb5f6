import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  baselineRange,
  createBaselineBuilder,
  detectAnomalies,
  parseDetectionConfig,
  type DetectableLog,
  type DetectionConfigInput,
} from "@/lib/records/anomaly";
import { LogInput } from "@/lib/records/logs/schemas";
import { INJECTED_SUBJECTS, planAnomalyInjection, type InjectedLogInput } from "./anomalies";

const DAY = 86_400_000;
const detectable = (input: InjectedLogInput): DetectableLog => ({
  log_id: input.log_id,
  time: new Date(input.timestamp),
  ip: input.ip,
  user: input.user,
  action: input.action,
  status: input.status,
});

/** What a default detection run at `now` finds: the last 24 hours, judged against the baseline before them. */
function detectAt(logs: DetectableLog[], now: Date, settings: DetectionConfigInput) {
  const config = parseDetectionConfig(settings);
  const from = new Date(now.getTime() - DAY);
  const period = baselineRange(from, config);
  const builder = createBaselineBuilder(config);
  for (const log of logs) if (log.time >= period.start && log.time < period.end) builder.push(log);
  return detectAnomalies(
    logs.filter((log) => log.time >= from && log.time <= now),
    config,
    builder.build(),
  );
}

describe("planAnomalyInjection", () => {
  const cases: [string, string, DetectionConfigInput][] = [
    ["the defaults, in the afternoon", "2026-03-10T15:42:07.000Z", {}],
    ["the defaults, during off hours", "2026-03-10T02:05:00.000Z", {}],
    [
      "Berlin time, night off hours, a short window, a custom attempt action",
      "2026-03-29T09:00:00.000Z",
      {
        timeZone: "Europe/Berlin",
        offHours: "22:00-06:00",
        windowMinutes: 1,
        burstThreshold: 3,
        sprayUsers: 8,
        failureActions: "ssh_auth",
      },
    ],
    ["more history required", "2026-01-05T12:00:00.000Z", { minHistoryEvents: 60, minHistoryDays: 6 }],
  ];
  for (const [name, at, settings] of cases) {
    it(`yields one instance of every finding type that detection finds (${name})`, () => {
      const now = new Date(at);
      const { logs, injected } = planAnomalyInjection(parseDetectionConfig(settings), now);
      assert.equal(new Set(injected.map((anomaly) => anomaly.type)).size, 8);
      const findings = detectAt(logs.map(detectable), now, settings);
      for (const anomaly of injected) {
        const found = findings.find(
          (f) =>
            f.type === anomaly.type &&
            (anomaly.ip === undefined || f.ip === anomaly.ip) &&
            (anomaly.user === undefined || f.user === anomaly.user),
        );
        assert.ok(
          found,
          `${anomaly.type} ${anomaly.user ?? ""} ${anomaly.ip ?? ""} not found among ${findings.map((f) => f.type).join(", ")}`,
        );
        assert.equal(found.start.getTime(), anomaly.time.getTime(), anomaly.type);
        assert.equal(found.count, anomaly.count, anomaly.type);
      }
    });
  }

  it("places the instances in the last 24 hours and their history before them, as logs ingestion accepts", () => {
    const now = new Date("2026-03-10T15:42:07.000Z");
    const { logs, injected } = planAnomalyInjection(parseDetectionConfig(), now);
    for (const anomaly of injected)
      assert.ok(anomaly.time.getTime() > now.getTime() - DAY && anomaly.time < now, anomaly.type);
    const history = injected.filter((anomaly) => anomaly.history > 0).map((anomaly) => anomaly.user);
    assert.deepEqual(history.sort(), [INJECTED_SUBJECTS.habitUser, INJECTED_SUBJECTS.routineUser]);
    for (const log of logs) {
      assert.ok(Date.parse(log.timestamp) < now.getTime(), log.timestamp);
      const parsed = LogInput.safeParse(log);
      assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
    }
    assert.equal(new Set(logs.map((log) => log.log_id)).size, logs.length);
  });

  it("is the same plan for the same moment, with other log ids at another", () => {
    const now = new Date("2026-03-10T15:42:07.000Z");
    assert.deepEqual(
      planAnomalyInjection(parseDetectionConfig(), now),
      planAnomalyInjection(parseDetectionConfig(), now),
    );
    const runOf = (plan: { logs: InjectedLogInput[] }) =>
      new Set(plan.logs.map((log) => log.log_id.replace(/-\d+$/, "")));
    const [first, second] = [
      runOf(planAnomalyInjection(parseDetectionConfig(), now)),
      runOf(planAnomalyInjection(parseDetectionConfig(), new Date(now.getTime() + 1000))),
    ];
    assert.equal(first.size, 1);
    assert.notDeepEqual(first, second);
  });

  it("refuses off hours that leave no daytime in the last 24 hours", () => {
    assert.throws(() => planAnomalyInjection(parseDetectionConfig({ offHours: "00:10-00:00" })), /no room/);
  });
});
