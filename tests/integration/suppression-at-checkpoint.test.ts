// Suppression rules at checkpoints: a new finding a rule covers is stored
// suppressed with the rule's id, left out of the open count and the webhook;
// removing the rule leaves it suppressed; a person may reopen it; and the
// rollups' rebuild equals what derivation counted.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { alertsCollection, countOpenAlerts } from "@/lib/derived/alerts/alert-record";
import { changeAlertStatus } from "@/lib/derived/alerts/lifecycle";
import { openAlertCount } from "@/lib/derived/alerts/open-count";
import { SuppressionRuleCreate } from "@/lib/derived/alerts/suppression-rules";
import { createSuppressionRule, removeSuppressionRule } from "@/lib/derived/alerts/suppression-store";
import { getDb } from "@/lib/platform/db/client";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { ingestLogs } from "@/lib/records/logs/ingest";
import type { LogInput } from "@/lib/records/logs/schemas";
import { rebuildRollups } from "@/lib/derived/rollups/rebuild";
import { allPeriodDocs } from "@/lib/derived/rollups/period-docs";
import { setupAppDatabase } from "./support/app-db";
import { startWebhookReceiver } from "./support/webhook-receiver";

const { url: webhookUrl, received } = await startWebhookReceiver<{
  alert: { id: string; ip?: string; status: string };
}>();
setupAppDatabase("suppression_at_checkpoint", { LEDGERLINE_ALERT_WEBHOOK_URL: webhookUrl });

const MUTED = "2001:db8:5ca1::7";
const LOUD = "203.0.113.70";
const ANALYST = { user: "analyst@example.com" };
const start = Date.now() - 40 * 60_000;
const at = (minute: number) => new Date(start + minute * 60_000).toISOString();
/** Failed sign-ins from `ip`, each against another user: a burst, spraying and an unknown network, all of the address. */
const failures = (ip: string, from: number) =>
  Array.from({ length: 6 }, (_, i) => ({
    timestamp: at(from + i * 0.5),
    ip,
    user: `user-${ip}-${i}`,
    action: "login_attempt",
    status: "failed",
  }));

let db: Db;
const ingest = (inputs: object[]) =>
  ingestLogs(db, inputs as LogInput[], { keyring: getKeyring(), maxFutureSkewMs: 300_000, ingestedBy: "cli:test" });
const checkpoint = () => writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 120_000 });
const alertsOf = (ip: string) => alertsCollection(db).find({ ip }).toArray();
const alertTallies = async () => (await allPeriodDocs(db)).map((doc) => [doc._id, doc.alerts]);

async function settledWebhooks(expected: number): Promise<string[]> {
  const deadline = Date.now() + 5_000;
  while (received.length < expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  await new Promise((resolve) => setTimeout(resolve, 200));
  return received.map((body) => body.alert.id);
}

describe("suppression rules at checkpoints", () => {
  before(async () => {
    db = await getDb();
  });

  it("stores covered findings suppressed, uncounted and undelivered; removing the rule keeps them so; reopening counts one", async () => {
    const rule = await createSuppressionRule(
      db,
      SuppressionRuleCreate.parse({ ip: "2001:db8:5ca1::/48", reason: "pen test", expires_in_days: 1 }),
      ANALYST,
    );
    await ingest([...failures(MUTED, 0), ...failures(LOUD, 0)]);
    await checkpoint();

    const muted = await alertsOf(MUTED);
    const loud = await alertsOf(LOUD);
    assert.deepEqual(muted.map((alert) => alert.type).sort(), [
      "failure_burst",
      "password_spraying",
      "unknown_network",
    ]);
    assert.deepEqual(
      muted.map((alert) => [alert.status, alert.suppressed_by]),
      muted.map(() => ["suppressed", rule._id]),
    );
    assert.equal(loud.length, 3);
    assert.ok(loud.every((alert) => alert.status === "open" && alert.suppressed_by === undefined));

    // Off-hours findings (user alone) are open alerts too when the test runs at night.
    const open = await alertsCollection(db).find({ status: "open" }).toArray();
    assert.equal(open.length, (await alertsCollection(db).countDocuments()) - 3);
    assert.deepEqual(
      await openAlertCount(db),
      { count: open.length, complete: true },
      "the rollups leave suppressed alerts out",
    );
    assert.deepEqual(
      (await settledWebhooks(open.length)).sort(),
      open.map((alert) => alert._id).sort(),
      "only the open alerts reach the webhook",
    );

    // More of the same after the rule is gone extends the suppressed alerts; they stay suppressed.
    await removeSuppressionRule(db, rule._id, ANALYST);
    await ingest([{ timestamp: at(4), ip: MUTED, user: "user-late", action: "login_attempt", status: "failed" }]);
    await checkpoint();
    const after = await alertsCollection(db).find({ ip: MUTED }).toArray();
    assert.equal(after.length, 3, "no new alert: the finding extends the muted one");
    assert.ok(after.every((alert) => alert.status === "suppressed" && alert.suppressed_by === rule._id));
    assert.deepEqual(await openAlertCount(db), { count: await countOpenAlerts(db), complete: true });
    const openBefore = await countOpenAlerts(db);

    const burst = after.find((alert) => alert.type === "failure_burst")!;
    await changeAlertStatus(db, burst._id, "open", ANALYST, "worth a look after all");
    assert.deepEqual(
      await openAlertCount(db),
      { count: openBefore + 1, complete: true },
      "a reopened suppressed alert counts as open",
    );
    assert.equal(await countOpenAlerts(db), openBefore + 1);

    const live = await alertTallies();
    await rebuildRollups(db);
    assert.deepEqual(await alertTallies(), live, "the rebuild counts what derivation counted");
    assert.deepEqual(await openAlertCount(db), { count: openBefore + 1, complete: true });
    assert.ok(
      received.every((body) => body.alert.ip !== MUTED),
      "nothing muted was delivered",
    );
  });

  it("lets a new finding raise an open alert once the rule has expired", async () => {
    await createSuppressionRule(
      db,
      SuppressionRuleCreate.parse({ type: "failure_burst", user: "nobody", reason: "other subject" }),
      ANALYST,
    );
    const expired = await createSuppressionRule(
      db,
      SuppressionRuleCreate.parse({ ip: "198.51.100.0/24", reason: "old", expires_in_days: 1 }),
      ANALYST,
      new Date(Date.now() - 2 * 86_400_000),
    );
    await ingest(failures("198.51.100.80", 20));
    await checkpoint();
    const alerts = await alertsOf("198.51.100.80");
    assert.equal(alerts.length, 3);
    assert.ok(
      alerts.every((alert) => alert.status === "open"),
      `rule ${expired._id} had expired`,
    );
  });
});
