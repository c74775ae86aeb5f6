// One alert's detail page reads (lib/derived/alerts/alert-detail, subject-activity,
// alert-logs) and on-demand detection streamed with progress
// (GET /api/anomalies/stream), over seeded traffic with injected anomalies.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import * as stream from "@/app/api/anomalies/stream/route";
import { AlertId, getAlert } from "@/lib/derived/alerts/alert-detail";
import { alertLogsFilter } from "@/lib/derived/alerts/alert-logs";
import { alertsCollection } from "@/lib/derived/alerts/alert-record";
import { detectionEvents } from "@/lib/derived/alerts/detection-events";
import { readSubjectActivity } from "@/lib/derived/alerts/subject-activity";
import { getConfig } from "@/lib/foundation/config";
import { getDb } from "@/lib/platform/db/client";
import { findLogPage } from "@/lib/features/explorer/log-pages";
import type { InjectedAnomaly } from "@/lib/features/generators/anomalies";
import { checkpointSeededLogs, injectAnomalies, seedNormalLogs } from "@/lib/features/generators/seed";
import { createTestApiKey, setupAppDatabase } from "./support/app-db";
import { call } from "./support/http";

setupAppDatabase("alert-detail");

let db: Db;
let injected: InjectedAnomaly[];
const burst = () => injected.find((anomaly) => anomaly.type === "failure_burst")!;

before(async () => {
  db = await getDb();
  await seedNormalLogs(db, { count: 2_000, days: 2, randomSeed: 7 });
  injected = await injectAnomalies(db);
  await checkpointSeededLogs(db);
});

describe("one alert", () => {
  it("reads an alert by id as it stands, and null for an id no alert has", async () => {
    const stored = (await alertsCollection(db).findOne({ type: "failure_burst", ip: burst().ip }))!;
    assert.ok(AlertId.safeParse(stored._id).success, stored._id);
    const alert = (await getAlert(db, stored._id))!;
    assert.equal(alert.count, burst().count);
    assert.equal(await getAlert(db, "00000000-0000-0000-0000-000000000000"), null);
    assert.equal(AlertId.safeParse("not-an-id").success, false);
  });

  it("counts the subject's failures around the window from the rollups, the burst included", async () => {
    const alert = (await getAlert(
      db,
      (await alertsCollection(db).findOne({ type: "failure_burst", ip: burst().ip }))!._id,
    ))!;
    const activity = (await readSubjectActivity(db, { ip: alert.ip! }, alert))!;
    assert.equal(activity.level, "quarter");
    const failed = activity.periods.reduce((sum, period) => sum + period.ip!.failed, 0);
    assert.equal(failed, burst().count);
    assert.equal(await readSubjectActivity(db, {}, alert), null);
  });

  it("pages through the alert's logs, oldest first, every one of its subject inside its window", async () => {
    const alert = (await alertsCollection(db).findOne({ type: "failure_burst", ip: burst().ip }))!;
    const seen: string[] = [];
    let page = await findLogPage(db, { ...alertLogsFilter(alert, {}), limit: 3 });
    for (;;) {
      for (const log of page.items) {
        assert.equal(log.ip, alert.ip);
        assert.ok(log.time >= alert.start && log.time <= alert.end);
        seen.push(log._id);
      }
      if (!page.nextCursor) break;
      const cursor = { time: page.items.at(-1)!.time, sequence: page.items.at(-1)!.sequence, sort: "asc" as const };
      page = await findLogPage(db, { ...alertLogsFilter(alert, { cursor }), limit: 3 });
    }
    assert.equal(seen.length, burst().count);
    assert.deepEqual(seen.slice(0, alert.log_ids.length), alert.log_ids);
  });
});

type Event = {
  event: string;
  fraction?: number;
  analysed?: number;
  finding?: { type: string; ip?: string; user?: string };
  findings?: number;
};

describe("GET /api/anomalies/stream", () => {
  it("streams the range, progress, every injected finding and the totals as NDJSON", async () => {
    const key = await createTestApiKey(db, ["read"]);
    const to = new Date();
    const from = new Date(to.getTime() - 86_400_000);
    const response = await call(
      stream.GET,
      "GET",
      `/api/anomalies/stream?from=${from.toISOString()}&to=${to.toISOString()}`,
      { key },
    );
    assert.equal(response.status, 200, response.text);
    assert.match(response.headers.get("content-type")!, /^application\/x-ndjson/);
    assert.match(response.headers.get("cache-control")!, /no-transform/);
    const events = response.text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Event);
    assert.equal(events[0]!.event, "started");
    assert.equal(events.at(-1)!.event, "done");
    const progress = events.filter((event) => event.event === "progress").map((event) => event.fraction!);
    assert.ok(progress.length >= 1, "at least one progress event over 1,000 logs");
    assert.deepEqual(
      progress,
      [...progress].sort((a, b) => a - b),
    );
    const findings = events.filter((event) => event.event === "finding").map((event) => event.finding!);
    assert.equal(events.at(-1)!.findings, findings.length);
    for (const anomaly of injected) {
      assert.ok(
        findings.some(
          (finding) =>
            finding.type === anomaly.type &&
            (anomaly.ip === undefined || finding.ip === anomaly.ip) &&
            (anomaly.user === undefined || finding.user === anomaly.user),
        ),
        `missing ${anomaly.type}`,
      );
    }
  });

  it("stops detection when its reader leaves after the first events", async () => {
    const to = new Date();
    const events = detectionEvents(db, { from: new Date(to.getTime() - 2 * 86_400_000), to }, getConfig().anomaly);
    assert.equal((await events.next()).value?.event, "started");
    await events.next();
    // Returns once detection has stopped, rather than reading the rest of the range.
    assert.deepEqual(await events.return(undefined), { done: true, value: undefined });
  });

  it("answers 401 without credentials and 400 naming a bad field", async () => {
    assert.equal((await call(stream.GET, "GET", "/api/anomalies/stream")).status, 401);
    const key = await createTestApiKey(db, ["read"]);
    const bad = await call(stream.GET, "GET", "/api/anomalies/stream?from=yesterday", { key });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details[0].field, "from");
  });
});
