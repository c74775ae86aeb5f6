// POST /api/alerts/:id/status and GET /api/alerts: analysts and admins move
// alerts through their lifecycle with who and when, each change audited, only
// the changes the lifecycle allows, and only signed in from our own pages;
// viewers only read them.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import * as alertsRoute from "@/app/api/alerts/route";
import * as statusRoute from "@/app/api/alerts/[id]/status/route";
import { alertsCollection, type Alert } from "@/lib/derived/alerts/alert-record";
import { changeAlertStatus } from "@/lib/derived/alerts/lifecycle";
import { createUser } from "@/lib/records/auth/users";
import { getDb } from "@/lib/platform/db/client";
import { logsCollection } from "@/lib/records/logs/collection";
import { createTestApiKey, setupAppDatabase } from "./support/app-db";
import { call } from "./support/http";
import { signInSession } from "./support/sign-in";

setupAppDatabase("alert_lifecycle");

const ANALYST = { email: "analyst@example.com", password: "analyst password 123" };
const VIEWER = { email: "reader@example.com", password: "viewer password 123" };
const ADMIN = { email: "lead@example.com", password: "admin password 1234" };
let db: Db;
let analystSession: string;
let viewerSession: string;
let adminSession: string;

const HOUR = 3_600_000;
const BASE = Date.parse("2026-03-01T00:00:00Z");

/** A stored alert; `hour` places its window. */
function makeAlert(overrides: Partial<Alert> & { hour?: number } = {}): Alert {
  const { hour = 0, ...fields } = overrides;
  const start = new Date(BASE + hour * HOUR);
  return {
    _id: randomUUID(),
    type: "failure_burst",
    severity: "high",
    ip: "203.0.113.66",
    start,
    end: new Date(start.getTime() + 5 * 60_000),
    count: 8,
    log_ids: ["a", "b"],
    explanation: "8 failed events from 203.0.113.66 within 5 min",
    subject_key: JSON.stringify(["failure_burst", "203.0.113.66", null]),
    status: "open",
    created_at: start,
    updated_at: start,
    history: [],
    ...fields,
  };
}

async function storeAlert(overrides: Partial<Alert> & { hour?: number } = {}): Promise<Alert> {
  const alert = makeAlert(overrides);
  await alertsCollection(db).insertOne(alert);
  return alert;
}

const changeStatus = (id: string, body: object, options: object = {}) =>
  call(statusRoute.POST, "POST", `/api/alerts/${id}/status`, {
    params: { id },
    body: JSON.stringify(body),
    ...options,
  });

before(async () => {
  db = await getDb();
  await createUser(db, { email: ANALYST.email, role: "analyst" }, ANALYST.password, { user: "test" });
  await createUser(db, { email: VIEWER.email, role: "viewer" }, VIEWER.password, { user: "test" });
  await createUser(db, { email: ADMIN.email, role: "admin" }, ADMIN.password, { user: "test" });
  analystSession = await signInSession(ANALYST);
  viewerSession = await signInSession(VIEWER);
  adminSession = await signInSession(ADMIN);
});

describe("POST /api/alerts/:id/status", () => {
  it("lets an analyst acknowledge and an admin resolve, recording who and when in the history", async () => {
    const alert = await storeAlert();
    const before = Date.now();
    const acknowledged = await changeStatus(
      alert._id,
      { status: "acknowledged", note: "  looking into it  " },
      { session: analystSession },
    );
    assert.equal(acknowledged.status, 200, acknowledged.text);
    assert.equal(acknowledged.body.alert.id, alert._id);
    assert.equal(acknowledged.body.alert.status, "acknowledged");
    assert.equal(acknowledged.body.alert.subject_key, undefined);

    const resolved = await changeStatus(alert._id, { status: "resolved" }, { session: adminSession });
    assert.equal(resolved.status, 200, resolved.text);
    const history = resolved.body.alert.history as { status: string; by: string; at: string; note?: string }[];
    assert.deepEqual(
      history.map(({ status, by, note }) => ({ status, by, note })),
      [
        { status: "acknowledged", by: ANALYST.email, note: "looking into it" },
        { status: "resolved", by: ADMIN.email, note: undefined },
      ],
    );
    for (const entry of history) assert.ok(Date.parse(entry.at) >= before && Date.parse(entry.at) <= Date.now());
    const stored = await alertsCollection(db).findOne({ _id: alert._id });
    assert.equal(stored?.status, "resolved");
    assert.equal(stored?.history.length, 2);
    assert.ok(stored!.updated_at > alert.updated_at);
  });

  it("refuses a viewer with 403 and lets an analyst resolve, changing nothing for the viewer", async () => {
    const alert = await storeAlert();
    for (const status of ["acknowledged", "resolved"]) {
      const refused = await changeStatus(alert._id, { status }, { session: viewerSession });
      assert.equal(refused.status, 403, status);
      assert.equal(refused.body.error.code, "forbidden");
      assert.match(refused.body.error.message, /Only administrators and analysts/);
    }
    assert.equal((await alertsCollection(db).findOne({ _id: alert._id }))?.history.length, 0);
    const resolved = await changeStatus(alert._id, { status: "resolved" }, { session: analystSession });
    assert.equal(resolved.status, 200, resolved.text);
    assert.equal(resolved.body.alert.status, "resolved");
  });

  it("resolves an open alert directly and reopens a resolved one", async () => {
    const alert = await storeAlert();
    assert.equal((await changeStatus(alert._id, { status: "resolved" }, { session: analystSession })).status, 200);
    const reopened = await changeStatus(
      alert._id,
      { status: "open", note: "it came back" },
      { session: analystSession },
    );
    assert.equal(reopened.status, 200);
    assert.deepEqual(
      reopened.body.alert.history.map((entry: { status: string }) => entry.status),
      ["resolved", "open"],
    );
  });

  it("answers 409 for a change the lifecycle does not allow, and changes nothing", async () => {
    const alert = await storeAlert({ status: "acknowledged" });
    for (const status of ["open", "acknowledged"]) {
      const refused = await changeStatus(alert._id, { status }, { session: analystSession });
      assert.equal(refused.status, 409, status);
      assert.equal(refused.body.error.code, "conflict");
      assert.match(refused.body.error.message, /is acknowledged/);
    }
    const resolved = await storeAlert({ status: "resolved" });
    assert.equal(
      (await changeStatus(resolved._id, { status: "acknowledged" }, { session: analystSession })).status,
      409,
    );
    assert.equal((await alertsCollection(db).findOne({ _id: alert._id }))?.history.length, 0);
  });

  it("answers 404 for an unknown alert and 400 naming a bad status or note", async () => {
    const unknown = await changeStatus("no-such-alert", { status: "acknowledged" }, { session: analystSession });
    assert.equal(unknown.status, 404);
    const alert = await storeAlert();
    const bad = await changeStatus(
      alert._id,
      { status: "closed", note: "x".repeat(501), extra: 1 },
      { session: analystSession },
    );
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.error.details.map((problem: { field: string }) => problem.field).sort(), [
      "extra",
      "note",
      "status",
    ]);
  });

  it("records each change in Ledgerline's own signed log", async () => {
    const alert = await storeAlert({ type: "password_spraying", ip: "203.0.113.77" });
    await changeStatus(alert._id, { status: "acknowledged" }, { session: analystSession });
    const audit = await logsCollection(db).findOne({
      source: "ledgerline",
      action: "alert_acknowledged",
      "metadata.alert_id": alert._id,
    });
    assert.ok(audit, "an audit log of the change");
    assert.equal(audit.user, ANALYST.email);
    assert.equal(audit.status, "success");
    assert.deepEqual(audit.metadata, {
      alert_id: alert._id,
      alert_type: "password_spraying",
      from: "open",
      to: "acknowledged",
    });
  });

  it("answers 401 without a session, refuses API keys, and refuses a cookie write without our Origin or as text/plain", async () => {
    const alert = await storeAlert();
    assert.equal((await changeStatus(alert._id, { status: "acknowledged" })).status, 401);
    assert.equal((await changeStatus(alert._id, { status: "acknowledged" }, { session: "forged.cookie" })).status, 401);
    const withKey = await changeStatus(
      alert._id,
      { status: "acknowledged" },
      { key: await createTestApiKey(db, ["ingest", "read"]) },
    );
    assert.equal(withKey.status, 403);
    assert.equal(
      (await changeStatus(alert._id, { status: "acknowledged" }, { session: analystSession, origin: null })).status,
      403,
    );
    assert.equal(
      (
        await changeStatus(
          alert._id,
          { status: "acknowledged" },
          { session: analystSession, origin: "https://evil.example" },
        )
      ).status,
      403,
    );
    assert.equal(
      (
        await changeStatus(
          alert._id,
          { status: "acknowledged" },
          { session: analystSession, contentType: "text/plain" },
        )
      ).status,
      415,
    );
    assert.equal((await alertsCollection(db).findOne({ _id: alert._id }))?.status, "open", "nothing changed");
  });

  it("lets only one of two people make the same change at once", async () => {
    const alert = await storeAlert();
    const actors = [{ user: "one@example.com" }, { user: "two@example.com" }];
    const results = await Promise.allSettled(
      actors.map((actor) => changeAlertStatus(db, alert._id, "acknowledged", actor)),
    );
    assert.equal(results.filter((result) => result.status === "fulfilled").length, 1, JSON.stringify(results));
    const stored = await alertsCollection(db).findOne({ _id: alert._id });
    assert.equal(stored?.history.length, 1);
  });
});

describe("GET /api/alerts", () => {
  let ids: Record<string, string>;
  let key: string;
  before(async () => {
    await alertsCollection(db).deleteMany({});
    const burst = await storeAlert({ hour: 1 });
    const spray = await storeAlert({ hour: 3, type: "password_spraying", ip: "203.0.113.77", status: "acknowledged" });
    const network = await storeAlert({
      hour: 5,
      type: "unknown_network",
      severity: "medium",
      ip: "198.51.100.23",
      status: "resolved",
    });
    ids = { burst: burst._id, spray: spray._id, network: network._id };
    key = await createTestApiKey(db, ["read"]);
  });

  const list = async (query: string, options: object = {}) => {
    const response = await call(alertsRoute.GET, "GET", `/api/alerts${query}`, { key, ...options });
    return { ...response, ids: (response.body?.alerts ?? []).map((alert: { id: string }) => alert.id) };
  };

  it("lists every alert (status=all), latest window first, as JSON with its id", async () => {
    const all = await list("?status=all&sort=last_event");
    assert.equal(all.status, 200, all.text);
    assert.deepEqual(all.ids, [ids.network, ids.spray, ids.burst]);
    const [first] = all.body.alerts;
    assert.equal(first.start, new Date(BASE + 5 * HOUR).toISOString());
    assert.equal(first._id, undefined);
  });

  it("filters by status, by type, by a range the window overlaps, and limits", async () => {
    assert.deepEqual((await list("?status=acknowledged")).ids, [ids.spray]);
    assert.deepEqual((await list("?status=all&sort=last_event&type=failure_burst,unknown_network")).ids, [
      ids.network,
      ids.burst,
    ]);
    const from = new Date(BASE + 1 * HOUR + 3 * 60_000).toISOString();
    const to = new Date(BASE + 3 * HOUR).toISOString();
    assert.deepEqual(
      (await list(`?status=all&sort=last_event&from=${from}&to=${to}`)).ids,
      [ids.spray, ids.burst],
      "windows touching the range count",
    );
    assert.deepEqual((await list(`?from=${from}&to=${to}&status=open`)).ids, [ids.burst]);
    assert.deepEqual((await list("?status=all&sort=last_event&limit=1")).ids, [ids.network]);
  });

  it("answers 400 naming each bad parameter", async () => {
    const bad = await list("?status=closed&type=nope&from=yesterday&limit=0&colour=red");
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.error.details.map((problem: { field: string }) => problem.field).sort(), [
      "colour",
      "from",
      "limit",
      "status",
      "type",
    ]);
  });

  it("answers 401 without credentials, 403 for a key without the read scope, and 200 for a signed-in viewer", async () => {
    assert.equal((await list("", { key: undefined })).status, 401);
    assert.equal((await list("", { key: await createTestApiKey(db, ["ingest"]) })).status, 403);
    assert.equal((await list("", { key: undefined, session: viewerSession })).status, 200);
  });
});
