// GET /api/alerts over the alert index and POST /api/alerts/status: filters,
// counts per status under the filters, cursor paging, grouping by subject;
// bulk changes by ids and by filter, each recorded as a single change would
// be, refused ones reported; no change lost to a concurrent writer; and the
// index rebuilt from the alerts equals the one kept as alerts change.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import * as alertsRoute from "@/app/api/alerts/route";
import * as bulkRoute from "@/app/api/alerts/status/route";
import { saveLaggingAlerts, workingAlertOf } from "@/lib/derived/alerts/active-alerts";
import { readAlertRows } from "@/lib/derived/alerts/alert-index";
import { rebuildAlertIndex } from "@/lib/derived/alerts/alert-index-rebuild";
import { alertsCollection, type Alert } from "@/lib/derived/alerts/alert-record";
import { changeAlertStatus, changeAlertStatuses, MAX_BULK_ALERTS } from "@/lib/derived/alerts/lifecycle";
import { storeAlerts } from "@/lib/derived/alerts/store-alerts";
import { createUser } from "@/lib/records/auth/users";
import { COLLECTIONS } from "@/lib/platform/db/collections";
import { getDb } from "@/lib/platform/db/client";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { logsCollection } from "@/lib/records/logs/collection";
import { ingestLogs } from "@/lib/records/logs/ingest";
import type { LogInput } from "@/lib/records/logs/schemas";
import { createTestApiKey, setupAppDatabase } from "./support/app-db";
import { call } from "./support/http";
import { signInSession } from "./support/sign-in";

setupAppDatabase("alert_list");

const ANALYST = { email: "analyst@example.com", password: "analyst password 123" };
const VIEWER = { email: "reader@example.com", password: "viewer password 123" };
const MINUTE = 60_000;
const BASE = Date.parse("2026-03-01T00:00:00Z");
let db: Db;
let key: string;
let analystSession: string;
let viewerSession: string;
let serial = 0;

function makeAlert(overrides: Partial<Alert> & { minute?: number } = {}): Alert {
  const { minute = 0, ...fields } = overrides;
  const start = new Date(BASE + minute * MINUTE);
  return {
    _id: `alert-${String(++serial).padStart(5, "0")}`,
    type: "failure_burst",
    severity: "high",
    ip: "203.0.113.66",
    start,
    end: new Date(start.getTime() + 5 * MINUTE),
    count: 8,
    log_ids: ["a"],
    explanation: "8 failed events",
    subject_key: "[]",
    status: "open",
    created_at: start,
    updated_at: start,
    history: [],
    ...fields,
  };
}

const list = async (query: string) => {
  const response = await call(alertsRoute.GET, "GET", `/api/alerts${query}`, { key });
  assert.equal(response.status, 200, response.text);
  return { ...response.body, ids: (response.body.alerts ?? []).map((alert: { id: string }) => alert.id) as string[] };
};
const bulk = (body: object, session = analystSession) =>
  call(bulkRoute.POST, "POST", "/api/alerts/status", { body: JSON.stringify(body), session });

before(async () => {
  db = await getDb();
  await createUser(db, { email: ANALYST.email, role: "analyst" }, ANALYST.password, { user: "test" });
  await createUser(db, { email: VIEWER.email, role: "viewer" }, VIEWER.password, { user: "test" });
  analystSession = await signInSession(ANALYST);
  viewerSession = await signInSession(VIEWER);
  key = await createTestApiKey(db, ["read"]);
});

describe("GET /api/alerts over the alert index", () => {
  let ids: Record<string, string>;
  before(async () => {
    const burst = makeAlert({ minute: 10, severity: "critical" });
    const spray = makeAlert({ minute: 20, type: "password_spraying", ip: "203.0.113.9", severity: "medium" });
    const user = makeAlert({ minute: 30, type: "new_ip_for_user", ip: "198.51.100.4", user: "alice", severity: "low" });
    const resolved = makeAlert({ minute: 40, ip: "203.0.113.66", status: "resolved" });
    // 120 more open ones for paging, on another day of creation.
    const many = Array.from({ length: 120 }, (_, index) =>
      makeAlert({ minute: 2 * 1440 + index, type: "off_hours", ip: `192.0.2.${index}`, severity: "low" }),
    );
    await storeAlerts(db, [burst, spray, user, resolved, ...many]);
    ids = { burst: burst._id, spray: spray._id, user: user._id, resolved: resolved._id };
  });

  it("lists open alerts, most severe then latest first, with counts per status and the total", async () => {
    const page = await list("?limit=3");
    assert.deepEqual(page.ids.slice(0, 2), [ids.burst, ids.spray]);
    assert.deepEqual(page.counts, { open: 123, acknowledged: 0, resolved: 1, suppressed: 0 });
    assert.equal(page.total, 123);
    assert.equal(page.alerts[0].explanation, "8 failed events", "whole alerts, as before");
  });

  it("filters by minimum severity, type, subject (address, CIDR, user) and window, the counts following the filters", async () => {
    assert.deepEqual((await list("?min_severity=medium")).ids, [ids.burst, ids.spray]);
    assert.deepEqual((await list("?type=password_spraying&type=new_ip_for_user")).ids, [ids.spray, ids.user]);
    const range = await list("?status=all&subject=203.0.113.0/24&sort=first_event&order=asc");
    assert.deepEqual(range.ids, [ids.burst, ids.spray, ids.resolved]);
    assert.deepEqual(range.counts, { open: 2, acknowledged: 0, resolved: 1, suppressed: 0 });
    assert.deepEqual((await list("?subject=alice")).ids, [ids.user]);
    assert.deepEqual((await list("?subject=198.51.100.4")).ids, [ids.user]);
    assert.deepEqual(
      (await list("?status=all&from=2026-03-01T00:28:00Z&to=2026-03-01T00:41:00Z&sort=last_event")).ids,
      [ids.resolved, ids.user],
    );
  });

  it("pages 50 at a time with next_cursor, every alert once", async () => {
    const seen: string[] = [];
    let cursor: string | null = "";
    let pages = 0;
    while (cursor !== null) {
      const page = await list(`?sort=last_event${cursor ? `&cursor=${cursor}` : ""}`);
      assert.ok(page.ids.length <= 50);
      seen.push(...page.ids);
      cursor = page.next_cursor;
      pages++;
    }
    assert.equal(pages, 3);
    assert.equal(seen.length, 123);
    assert.equal(new Set(seen).size, 123);
  });

  it("groups by subject: an IP's alerts together, paging by group; names a bad cursor", async () => {
    const grouped = await list("?status=all&group=ip&min_severity=medium");
    assert.deepEqual(
      grouped.groups.map((group: { subject: string; alert_count: number; types: string[] }) => [
        group.subject,
        group.alert_count,
        group.types,
      ]),
      [
        ["203.0.113.66", 2, ["failure_burst"]],
        ["203.0.113.9", 1, ["password_spraying"]],
      ],
    );
    const byUser = await list("?group=user&subject=alice");
    assert.deepEqual(
      byUser.groups.map((group: { kind: string; subject: string }) => [group.kind, group.subject]),
      [["user", "alice"]],
    );
    const bad = await call(alertsRoute.GET, "GET", "/api/alerts?cursor=nonsense", { key });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details[0].field, "cursor");
  });
});

describe("the alert index", () => {
  it("rebuilt from the alerts equals the index kept as detection and people changed alerts", async () => {
    const attacker = "198.51.100.200";
    const start = Date.now() - 30 * MINUTE;
    const failure = (minute: number): LogInput => ({
      timestamp: new Date(start + minute * MINUTE).toISOString(),
      ip: attacker,
      user: "victim",
      action: "login_attempt",
      status: "failed",
    });
    const ingest = (logs: LogInput[]) =>
      ingestLogs(db, logs, { keyring: getKeyring(), maxFutureSkewMs: 300_000, ingestedBy: "cli:test" });
    const checkpoint = () => writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 120_000 });
    await ingest([0, 1, 2, 3, 4, 5].map(failure));
    await checkpoint();
    // The unknown network's alert still grows with the next failures.
    const network = (await list(`?subject=${attacker}&type=unknown_network`)).alerts[0];
    assert.equal(network?.count, 6, "detection's alert is listed");
    await changeAlertStatus(db, network.id, "acknowledged", { user: ANALYST.email });
    await ingest([6, 7].map(failure));
    await checkpoint();
    const listed = await list(`?status=acknowledged&subject=${attacker}&type=unknown_network`);
    assert.deepEqual(
      listed.alerts.map((alert: { id: string; count: number }) => [alert.id, alert.count]),
      [[network.id, 8]],
      "the acknowledged alert with its live count",
    );

    const byId = (rows: { id: string }[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : 1));
    const live = byId((await readAlertRows(db))!);
    assert.equal((await rebuildAlertIndex(db)).alerts, live.length);
    assert.deepEqual(byId((await readAlertRows(db))!), live);
  });
});

describe("POST /api/alerts/status", () => {
  it("acknowledges the ids given with one note, reporting each refused one, each recorded as a single change", async () => {
    const [first, second, resolved] = [makeAlert(), makeAlert(), makeAlert({ status: "resolved" })];
    await storeAlerts(db, [first, second, resolved]);
    const answer = await bulk({
      ids: [first._id, second._id, resolved._id, "no-such-alert"],
      status: "acknowledged",
      note: "one scanner",
    });
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(answer.body.changed, [first._id, second._id]);
    assert.deepEqual(
      answer.body.refused.map((item: { id: string; code: string }) => [item.id, item.code]),
      [
        [resolved._id, "conflict"],
        ["no-such-alert", "not_found"],
      ],
    );
    for (const alert of [first, second]) {
      const stored = await alertsCollection(db).findOne({ _id: alert._id });
      assert.deepEqual(
        stored?.history.map(({ status, by, note }) => ({ status, by, note })),
        [{ status: "acknowledged", by: ANALYST.email, note: "one scanner" }],
      );
      assert.ok(
        await db.collection<{ _id: string }>(COLLECTIONS.alertChanges).findOne({ _id: `${alert._id}:1` }),
        "its change record",
      );
      const audit = await logsCollection(db).findOne({
        source: "ledgerline",
        action: "alert_acknowledged",
        "metadata.alert_id": alert._id,
      });
      assert.equal(audit?.user, ANALYST.email);
    }
    const rows = new Map((await readAlertRows(db))!.map((row) => [row.id, row]));
    assert.equal(rows.get(first._id)?.status, "acknowledged");
    assert.equal(rows.get(first._id)?.changed_by, ANALYST.email);
    assert.equal(rows.get(resolved._id)?.status, "resolved");
  });

  it("resolves every alert a filter matches, and the counts under that filter move", async () => {
    const subject = "192.0.2.0/28";
    const before = await list(`?subject=${subject}`);
    assert.equal(before.counts.open, 16);
    const answer = await bulk({ filter: { subject, status: "open" }, status: "resolved" });
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.changed.length, 16);
    assert.deepEqual((await list(`?subject=${subject}`)).counts, {
      open: 0,
      acknowledged: 0,
      resolved: 16,
      suppressed: 0,
    });
  });

  it("refuses a viewer, an empty request, both ids and filter, and more than the cap, naming the field", async () => {
    assert.equal((await bulk({ ids: ["x"], status: "acknowledged" }, viewerSession)).status, 403);
    const neither = await bulk({ status: "acknowledged" });
    assert.equal(neither.status, 400);
    assert.equal(neither.body.error.details[0].field, "ids");
    const tooMany = await bulk({
      ids: Array.from({ length: MAX_BULK_ALERTS + 1 }, (_, index) => `id-${index}`),
      status: "acknowledged",
    });
    assert.equal(tooMany.status, 400, tooMany.text);
    assert.equal(tooMany.body.error.details[0].field, "ids");
    assert.match(tooMany.body.error.details[0].message, /at most 1000 alerts at once/);
  });

  it("changes 1,000 alerts in one request, and refuses a filter matching more, naming filter", async () => {
    const alerts = Array.from({ length: MAX_BULK_ALERTS + 1 }, (_, index) =>
      makeAlert({ minute: 9 * 1440 + index, type: "rare_hour_for_user", ip: undefined, user: "cap.user" }),
    );
    await storeAlerts(db, alerts);
    const refused = await bulk({ filter: { subject: "cap.user" }, status: "acknowledged" });
    assert.equal(refused.status, 400, refused.text);
    assert.deepEqual(refused.body.error.details, [
      {
        field: "filter",
        message: "matches 1001 alerts; at most 1000 alerts at once; narrow the filter or send several requests",
      },
    ]);
    const started = performance.now();
    const answer = await bulk({
      ids: alerts.slice(0, MAX_BULK_ALERTS).map((alert) => alert._id),
      status: "acknowledged",
      note: "all of them",
    });
    console.log(`POST /api/alerts/status with ${MAX_BULK_ALERTS} ids: ${Math.round(performance.now() - started)} ms`);
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.changed.length, MAX_BULK_ALERTS);
    assert.deepEqual((await list("?status=all&subject=cap.user")).counts, {
      open: 1,
      acknowledged: MAX_BULK_ALERTS,
      resolved: 0,
      suppressed: 0,
    });
  });

  it("loses no change when a single change, a bulk change and detection write at once", async () => {
    const alerts = Array.from({ length: 30 }, () => makeAlert({ minute: 5 * 1440 }));
    await storeAlerts(db, alerts);
    const target = alerts[7]!;
    // Detection writing back alerts it extended, as when they settle.
    const extended = alerts
      .slice(0, 10)
      .map((alert) => ({ ...workingAlertOf({ ...alert, count: 99 }), unsaved: true }));
    const actor = { user: "other@example.com" };
    const [bulkResult, single] = await Promise.allSettled([
      changeAlertStatuses(
        db,
        alerts.map((alert) => alert._id),
        "acknowledged",
        { user: ANALYST.email },
      ),
      changeAlertStatus(db, target._id, "resolved", actor),
      saveLaggingAlerts(db, extended),
    ]);
    assert.equal(bulkResult.status, "fulfilled");
    const rows = new Map((await readAlertRows(db))!.map((row) => [row.id, row]));
    // The recorded changes are the truth: the list shows each alert's latest one.
    const changes = db.collection<{ _id: string; alert_id: string; status: string }>(COLLECTIONS.alertChanges);
    for (const alert of alerts) {
      const recorded = (await changes.find({ alert_id: alert._id }).toArray()).sort((a, b) => (a._id < b._id ? -1 : 1));
      const row = rows.get(alert._id)!;
      assert.equal(row.status, recorded.at(-1)!.status, `${alert._id}: the index shows its latest recorded change`);
      assert.equal(row.changes, recorded.length);
    }
    assert.ok(
      extended.every((alert) => rows.get(alert._id)!.count === 99),
      "detection's fields stand in the index too",
    );
    // The single change either came first, came after the bulk one, or was refused as made at the same moment.
    const targetChanges = await changes.find({ alert_id: target._id }).toArray();
    if (single.status === "rejected")
      assert.deepEqual(
        targetChanges.map((change) => change.status),
        ["acknowledged"],
      );
    else assert.ok(targetChanges.some((change) => change.status === "resolved"));
  });
});
