// GET, POST /api/suppressions and DELETE /api/suppressions/:id: analysts and
// admins create and remove rules, each change audited in Ledgerline's own
// signed log; viewers and read keys list them; bad input names the field.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import * as ruleRoute from "@/app/api/suppressions/[id]/route";
import * as rulesRoute from "@/app/api/suppressions/route";
import { SuppressionRuleCreate } from "@/lib/derived/alerts/suppression-rules";
import { createSuppressionRule, removeSuppressionRule, suppressionRules } from "@/lib/derived/alerts/suppression-store";
import { createUser } from "@/lib/records/auth/users";
import { getDb } from "@/lib/platform/db/client";
import { logsCollection } from "@/lib/records/logs/collection";
import { createTestApiKey, setupAppDatabase } from "./support/app-db";
import { call } from "./support/http";
import { signInSession } from "./support/sign-in";

setupAppDatabase("suppression_rules_http");

const ANALYST = { email: "analyst@example.com", password: "analyst password 123" };
const VIEWER = { email: "reader@example.com", password: "viewer password 123" };
const DAY = 86_400_000;
let db: Db;
let analystSession: string;
let viewerSession: string;

const create = (body: object, options: object = {}) =>
  call(rulesRoute.POST, "POST", "/api/suppressions", { body: JSON.stringify(body), ...options });
const list = (options: object) => call(rulesRoute.GET, "GET", "/api/suppressions", options);
const remove = (id: string, options: object) =>
  call(ruleRoute.DELETE, "DELETE", `/api/suppressions/${id}`, { params: { id }, ...options });

before(async () => {
  db = await getDb();
  await createUser(db, { email: ANALYST.email, role: "analyst" }, ANALYST.password, { user: "test" });
  await createUser(db, { email: VIEWER.email, role: "viewer" }, VIEWER.password, { user: "test" });
  analystSession = await signInSession(ANALYST);
  viewerSession = await signInSession(VIEWER);
});

describe("POST /api/suppressions", () => {
  it("creates a rule naming who made it, with its expiry, and audits it", async () => {
    const before = Date.now();
    const created = await create(
      { type: "unknown_network", ip: "203.0.113.0/24", reason: " partner office ", expires_in_days: 7 },
      { session: analystSession },
    );
    assert.equal(created.status, 201, created.text);
    const { rule } = created.body;
    assert.deepEqual(
      { ...rule, id: undefined, created_at: undefined, expires_at: undefined },
      {
        id: undefined,
        type: "unknown_network",
        ip: "203.0.113.0/24",
        user: null,
        source: null,
        reason: "partner office",
        created_by: ANALYST.email,
        created_at: undefined,
        expires_at: undefined,
        status: "active",
        removed_at: null,
        removed_by: null,
      },
    );
    const createdAt = Date.parse(rule.created_at);
    assert.ok(createdAt >= before && createdAt <= Date.now());
    assert.equal(Date.parse(rule.expires_at) - createdAt, 7 * DAY);

    const audit = await logsCollection(db).findOne({
      source: "ledgerline",
      action: "suppression_rule_created",
      "metadata.rule_id": rule.id,
    });
    assert.ok(audit, "an audit log of the new rule");
    assert.equal(audit.user, ANALYST.email);
    assert.deepEqual(audit.metadata, {
      rule_id: rule.id,
      finding_type: "unknown_network",
      ip: "203.0.113.0/24",
      expires_at: rule.expires_at,
    });
    assert.match(
      audit.message ?? "",
      /mute unknown_network findings of ip 203\.0\.113\.0\/24 until .* \(partner office\)/,
    );
  });

  it("answers 400 naming each bad field, and stores nothing", async () => {
    const stored = await suppressionRules(db).countDocuments();
    const bad = await create(
      { type: "nope", ip: "2001:db8::1/300", reason: "", expires_in_days: 400, colour: "red" },
      { session: analystSession },
    );
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, "validation_failed");
    assert.deepEqual(bad.body.error.details.map((problem: { field: string }) => problem.field).sort(), [
      "colour",
      "expires_in_days",
      "ip",
      "reason",
      "type",
    ]);
    const noSubject = await create({ type: "failure_burst", reason: "noisy" }, { session: analystSession });
    assert.deepEqual(
      noSubject.body.error.details.map((problem: { field: string }) => problem.field),
      ["ip"],
    );
    assert.equal(await suppressionRules(db).countDocuments(), stored);
  });

  it("refuses viewers (403), API keys (403) and requests without a session (401)", async () => {
    const body = { user: "svc-backup", reason: "expected" };
    const viewer = await create(body, { session: viewerSession });
    assert.equal(viewer.status, 403);
    assert.match(viewer.body.error.message, /Only administrators and analysts/);
    assert.equal((await create(body, { key: await createTestApiKey(db, ["ingest", "read"]) })).status, 403);
    assert.equal((await create(body)).status, 401);
    assert.equal((await create(body, { session: analystSession, origin: "https://evil.example" })).status, 403);
    assert.equal(await suppressionRules(db).countDocuments({ user: "svc-backup" }), 0);
  });
});

describe("GET /api/suppressions and DELETE /api/suppressions/:id", () => {
  it("lists active then expired rules to viewers and read keys, never removed ones", async () => {
    await suppressionRules(db).deleteMany({});
    const active = (await create({ user: "svc-backup", reason: "backups run at night" }, { session: analystSession }))
      .body.rule;
    const removed = (await create({ ip: "2001:db8:bad::/48", reason: "lab" }, { session: analystSession })).body.rule;
    await suppressionRules(db).insertOne({
      _id: "expired-rule",
      type: "off_hours",
      ip: null,
      user: "night-owl",
      source: null,
      reason: "was on call",
      created_by: ANALYST.email,
      created_at: new Date(Date.now() - 10 * DAY),
      expires_at: new Date(Date.now() - 3 * DAY),
    });
    assert.equal((await remove(removed.id, { session: analystSession })).status, 200);

    for (const options of [{ session: viewerSession }, { key: await createTestApiKey(db, ["read"]) }]) {
      const listed = await list(options);
      assert.equal(listed.status, 200, listed.text);
      assert.deepEqual(
        listed.body.rules.map((rule: { id: string; status: string }) => [rule.id, rule.status]),
        [
          [active.id, "active"],
          ["expired-rule", "expired"],
        ],
      );
    }
    assert.equal((await list({ key: await createTestApiKey(db, ["ingest"]) })).status, 403);
  });

  it("removes a rule once, audited with who removed it; 404 for an unknown or removed rule; viewers may not", async () => {
    const { rule } = (
      await create({ type: "source_silent", source: "nightly-batch", reason: "paused" }, { session: analystSession })
    ).body;
    assert.equal((await remove(rule.id, { session: viewerSession })).status, 403);
    const removed = await remove(rule.id, { session: analystSession });
    assert.equal(removed.status, 200, removed.text);
    assert.deepEqual([removed.body.rule.status, removed.body.rule.removed_by], ["removed", ANALYST.email]);
    const audit = await logsCollection(db).findOne({
      source: "ledgerline",
      action: "suppression_rule_removed",
      "metadata.rule_id": rule.id,
    });
    assert.equal(audit?.user, ANALYST.email);
    assert.equal(audit?.metadata?.source, "nightly-batch");

    const again = await remove(rule.id, { session: analystSession });
    assert.equal(again.status, 404);
    assert.equal(again.body.error.code, "not_found");
    assert.equal((await remove("no-such-rule", { session: analystSession })).status, 404);
    assert.equal(
      await logsCollection(db).countDocuments({ action: "suppression_rule_removed", "metadata.rule_id": rule.id }),
      1,
    );
  });

  it("lets only one of two people remove the same rule at once", async () => {
    const rule = await createSuppressionRule(
      db,
      SuppressionRuleCreate.parse({ user: "svc-deploy", reason: "deploys" }),
      { user: "test" },
    );
    const actors = [{ user: "one@example.com" }, { user: "two@example.com" }];
    const results = await Promise.allSettled(actors.map((actor) => removeSuppressionRule(db, rule._id, actor)));
    assert.equal(results.filter((result) => result.status === "fulfilled").length, 1, JSON.stringify(results));
    assert.equal(
      await logsCollection(db).countDocuments({ action: "suppression_rule_removed", "metadata.rule_id": rule._id }),
      1,
    );
  });
});
