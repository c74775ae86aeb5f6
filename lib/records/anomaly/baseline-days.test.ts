import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MAX_IPS_PER_USER, createBaselineBuilder } from "./baseline";
import {
  addToDay,
  baselineFromDays,
  historyDays,
  storedTallies,
  tallyByDay,
  talliesBefore,
  type BaselineDay,
} from "./baseline-days";
import type { DetectionConfig } from "@/lib/foundation/detection-config";
import { detectAnomalies } from "./detector";
import type { DetectableLog, FindingType } from "./finding";
import { makeLog, quietConfig } from "./logs.fixture";

const config = quietConfig();

/** Day documents after adding each checkpoint's logs in turn (`days` holding checkpoints before the first), as the checkpoint writer does. */
function store(
  checkpoints: DetectableLog[][],
  zoneConfig: DetectionConfig = config,
  days = new Map<string, BaselineDay>(),
): Map<string, BaselineDay> {
  const first = Math.max(0, ...[...days.values()].map((doc) => doc.through)) + 1;
  checkpoints.forEach((logs, index) => {
    for (const [day, added] of tallyByDay(logs, zoneConfig))
      days.set(day, addToDay(days.get(day) ?? null, day, first + index, added, zoneConfig.timeZone));
  });
  return days;
}

/** What checkpoint N finds among `logs`, judged against the stored days. */
function judge(
  days: Map<string, BaselineDay>,
  checkpoint: number,
  logs: DetectableLog[],
  type: FindingType,
  zoneConfig: DetectionConfig = config,
) {
  const baseline = baselineFromDays(
    historyDays(logs, zoneConfig).map((day) => days.get(day) ?? null),
    checkpoint,
    zoneConfig,
  );
  return detectAnomalies(logs, zoneConfig, baseline).filter((finding) => finding.type === type);
}

/** `count` successes of alice from 10.0.1.5 at 09:00-16:00 UTC, on `days` dates from 2025-01-0`firstDay`. */
function history(count: number, days: number, firstDay = 5): DetectableLog[] {
  return Array.from({ length: count }, (_, i) =>
    makeLog({
      at: `2025-01-${String(firstDay + (i % days)).padStart(2, "0")}T${String(9 + (i % 8)).padStart(2, "0")}:00:00Z`,
    }),
  );
}

describe("historyDays", () => {
  it("covers the baseline days before the earliest success through the latest, and nothing without a success", () => {
    const days = historyDays(
      [
        makeLog({ at: "2025-01-16T00:10:00Z" }),
        makeLog({ at: "2025-01-15T23:59:59Z" }),
        makeLog({ at: "2025-01-10T00:00:00Z", status: "failed" }),
      ],
      config,
    );
    assert.equal(days.length, 16);
    assert.deepEqual([days[0], days.at(-1)], ["2025-01-01", "2025-01-16"]);
    assert.deepEqual(historyDays([makeLog({ status: "failed" })], config), []);
  });
});

describe("stored baseline days", () => {
  it("merge into exactly the baseline the on-demand builder counts from the same logs, however they were split", () => {
    const logs = [
      ...history(30, 4),
      makeLog({ at: "2025-01-06T23:30:00Z", ip: "2001:DB8::1" }),
      makeLog({ at: "2025-01-07T02:00:00Z", status: "failed", ip: "203.0.113.9" }),
    ];
    const builder = createBaselineBuilder(config);
    for (const log of logs) builder.push(log);
    const stored = store([logs.slice(0, 7), logs.slice(7, 20), logs.slice(20)]);
    assert.deepEqual(baselineFromDays(stored.values(), 4, config), builder.build());
  });

  it("judge a user with exactly the minimum history (20 events on 3 dates), and not one event or one date less", () => {
    const newIp = [makeLog({ at: "2025-01-15T10:00:00Z", ip: "10.0.7.7" })];
    assert.equal(judge(store([history(20, 3)]), 2, newIp, "new_ip_for_user").length, 1);
    assert.equal(judge(store([history(19, 3)]), 2, newIp, "new_ip_for_user").length, 0);
    assert.equal(judge(store([history(20, 2)]), 2, newIp, "new_ip_for_user").length, 0);
  });

  it("flag an address only when the history lacks it in every spelling, IPv4-mapped and IPv6 alike", () => {
    const days = store([[...history(20, 3), makeLog({ at: "2025-01-06T10:30:00Z", ip: "2001:DB8:0:0::1" })]]);
    const at = "2025-01-15T10:00:00Z";
    const known = [
      makeLog({ at, ip: "::ffff:10.0.1.5" }),
      makeLog({ at, ip: "2001:db8::1" }),
      makeLog({ at, ip: "10.0.1.5" }),
    ];
    assert.equal(judge(days, 2, known, "new_ip_for_user").length, 0);
    const [finding] = judge(days, 2, [makeLog({ at, ip: "2001:db8::2" })], "new_ip_for_user");
    assert.deepEqual([finding?.ip, finding?.user], ["2001:db8::2", "alice"]);
  });

  it("leave a user with more than MAX_IPS_PER_USER addresses alone, even when the overflow is split across days", () => {
    const many = (day: number, offset: number) =>
      Array.from({ length: 200 }, (_, i) =>
        makeLog({ at: `2025-01-0${day}T10:00:00Z`, ip: `10.1.${offset + Math.floor(i / 100)}.${i % 100}` }),
      );
    const days = store([many(5, 0), many(6, 2), many(7, 4)]);
    assert.ok(200 < MAX_IPS_PER_USER && 600 > MAX_IPS_PER_USER);
    assert.deepEqual(
      [...days.values()].map((doc) => storedTallies(doc.users)[0]!.ips_full),
      [false, false, false],
    );
    const history = baselineFromDays(days.values(), 4, config).users.get("alice")!;
    assert.deepEqual([history.isIpListFull, history.ips.size], [true, 0]);
    assert.equal(
      judge(days, 4, [makeLog({ at: "2025-01-15T10:00:00Z", ip: "10.0.7.7" })], "new_ip_for_user").length,
      0,
    );
  });

  it("call an hour rare below 2% of the history, not at exactly 2%", () => {
    const base = (inThree: number) =>
      store([
        [
          ...history(100 - inThree, 5),
          ...Array.from({ length: inThree }, (_, i) => makeLog({ at: `2025-01-0${5 + i}T03:00:00Z` })),
        ],
      ]);
    const log = [makeLog({ at: "2025-01-15T03:30:00Z" })];
    assert.equal(judge(base(1), 2, log, "rare_hour_for_user").length, 1);
    assert.equal(judge(base(2), 2, log, "rare_hour_for_user").length, 0);
    assert.equal(
      judge(base(2), 2, [makeLog({ at: "2025-01-15T04:30:00Z" })], "rare_hour_for_user").length,
      1,
      "an hour the history never saw",
    );
  });

  it("read only the baseline days before the earliest log: history older than that is forgotten", () => {
    const days = store([history(20, 3, 1)]);
    const log = (at: string) => [makeLog({ at, ip: "10.0.7.7" })];
    assert.equal(
      judge(days, 2, log("2025-01-15T23:59:00Z"), "new_ip_for_user").length,
      1,
      "2025-01-01 is 14 days before 2025-01-15",
    );
    assert.equal(
      judge(days, 2, log("2025-01-16T00:00:00Z"), "new_ip_for_user").length,
      0,
      "from 2025-01-02 on, 2 history dates are left",
    );
  });

  it("judge checkpoint N against the days as they stood before N, also when N is derived again", () => {
    const first = history(20, 3);
    const second = [makeLog({ at: "2025-01-06T03:00:00Z" }), makeLog({ at: "2025-01-20T10:00:00Z", user: "bob" })];
    const before = store([first]);
    const after = store([second], config, new Map(before));
    assert.deepEqual(
      [...after.values()].map((doc) => [doc.day, doc.through, doc.previous_through]),
      [
        ["2025-01-05", 1, 0],
        ["2025-01-06", 2, 1],
        ["2025-01-07", 1, 0],
        ["2025-01-20", 2, 0],
      ],
    );
    const stored = after.get("2025-01-06")!;
    assert.deepEqual(talliesBefore(stored, 2, "UTC"), talliesBefore(before.get("2025-01-06")!, 2, "UTC"));
    assert.equal(talliesBefore(stored, 3, "UTC").get("alice")!.events, 8);
    assert.deepEqual(
      [...talliesBefore(after.get("2025-01-20")!, 2, "UTC").keys()],
      [],
      "bob was not there before checkpoint 2",
    );
    assert.deepEqual(baselineFromDays(after.values(), 2, config), baselineFromDays(before.values(), 2, config));
  });

  it("write the same document whatever order a checkpoint's logs come in", () => {
    const logs = [
      ...history(30, 2),
      makeLog({ at: "2025-01-05T11:00:00Z", ip: "10.0.9.9", user: "bob" }),
      makeLog({ at: "2025-01-05T12:00:00Z", ip: "10.0.0.1" }),
    ];
    assert.deepEqual(store([logs]), store([[...logs].reverse()]));
  });

  it("count hours and dates in the configured zone, and ignore documents counted in another", () => {
    const berlin = quietConfig({ timeZone: "Europe/Berlin" });
    // 23:30 UTC is 00:30 the next day in Berlin (winter, UTC+1).
    const late = Array.from({ length: 20 }, (_, i) => makeLog({ at: `2025-01-0${5 + (i % 3)}T23:30:00Z` }));
    const days = store([late], berlin);
    const alice = baselineFromDays(days.values(), 2, berlin).users.get("alice")!;
    assert.deepEqual([alice.hourCounts[0], alice.days], [20, 3]);
    assert.equal(judge(days, 2, [makeLog({ at: "2025-01-15T23:40:00Z" })], "rare_hour_for_user", berlin).length, 0);
    assert.equal(baselineFromDays(days.values(), 2, config).users.size, 0);
  });
});

// Expected documents are pinned: tallyByDay's cached day strings must give what one day string per log gives.
describe("tallyByDay and addToDay", () => {
  const logs = [
    makeLog({ at: "2025-01-14T18:29:59.999Z", ip: "2001:DB8:0:0::1" }),
    makeLog({ at: "2025-01-14T18:30:00.000Z", ip: "::ffff:10.0.0.1" }),
    makeLog({ at: "2025-01-14T23:59:59.999Z", user: "bob", ip: "10.0.0.1" }),
    makeLog({ at: "2025-01-15T00:00:00.000Z", user: "bob", ip: "2001:db8::1" }),
    makeLog({ at: "2025-01-15T00:00:00.001Z", status: "failed", ip: "203.0.113.9" }),
    makeLog({ at: "2025-01-15T05:29:59.999Z" }),
  ];
  const documents = (zoneConfig: DetectionConfig) =>
    [...tallyByDay(logs, zoneConfig)].map(([day, added]) => addToDay(null, day, 2, added, zoneConfig.timeZone));
  const noneBefore =
    '[{"user":"alice","events":0,"hours":[],"days":[],"ips":[],"ips_full":false},{"user":"bob","events":0,"hours":[],"days":[],"ips":[],"ips_full":false}]';

  it("split successes at the UTC midnight to the millisecond, with canonical addresses, hours and local dates in UTC", () => {
    assert.deepEqual(documents(quietConfig({ timeZone: "UTC" })), [
      {
        _id: "baseline:2025-01-14",
        day: "2025-01-14",
        time_zone: "UTC",
        through: 2,
        users:
          '[{"user":"alice","events":2,"hours":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,2],"days":[20102],"ips":["10.0.0.1","2001:db8::1"],"ips_full":false},' +
          '{"user":"bob","events":1,"hours":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1],"days":[20102],"ips":["10.0.0.1"],"ips_full":false}]',
        previous_through: 0,
        previous: noneBefore,
      },
      {
        _id: "baseline:2025-01-15",
        day: "2025-01-15",
        time_zone: "UTC",
        through: 2,
        users:
          '[{"user":"alice","events":1,"hours":[0,0,0,0,0,1],"days":[20103],"ips":["10.0.1.5"],"ips_full":false},{"user":"bob","events":1,"hours":[1],"days":[20103],"ips":["2001:db8::1"],"ips_full":false}]',
        previous_through: 0,
        previous: noneBefore,
      },
    ]);
  });

  it("keep UTC days for the documents but count hours and dates in the zone (Asia/Kolkata, +5:30), also when a later checkpoint adds to a day", () => {
    const kolkata = quietConfig({ timeZone: "Asia/Kolkata" });
    const [first, second] = documents(kolkata);
    assert.equal(
      first!.users,
      '[{"user":"alice","events":2,"hours":[1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1],"days":[20102,20103],"ips":["10.0.0.1","2001:db8::1"],"ips_full":false},' +
        '{"user":"bob","events":1,"hours":[0,0,0,0,0,1],"days":[20103],"ips":["10.0.0.1"],"ips_full":false}]',
    );
    assert.equal(
      second!.users,
      '[{"user":"alice","events":1,"hours":[0,0,0,0,0,0,0,0,0,0,1],"days":[20103],"ips":["10.0.1.5"],"ips_full":false},{"user":"bob","events":1,"hours":[0,0,0,0,0,1],"days":[20103],"ips":["2001:db8::1"],"ips_full":false}]',
    );
    const later = tallyByDay([makeLog({ at: "2025-01-14T20:00:00Z", ip: "10.0.0.2" })], kolkata).get("2025-01-14")!;
    const updated = addToDay(first!, "2025-01-14", 3, later, "Asia/Kolkata");
    assert.deepEqual([updated.through, updated.previous_through], [3, 2]);
    assert.equal(
      updated.users,
      '[{"user":"alice","events":3,"hours":[1,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1],"days":[20102,20103],"ips":["10.0.0.1","10.0.0.2","2001:db8::1"],"ips_full":false},' +
        '{"user":"bob","events":1,"hours":[0,0,0,0,0,1],"days":[20103],"ips":["10.0.0.1"],"ips_full":false}]',
    );
    assert.equal(
      updated.previous,
      '[{"user":"alice","events":2,"hours":[1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1],"days":[20102,20103],"ips":["10.0.0.1","2001:db8::1"],"ips_full":false}]',
    );
  });
});
