import { expect, test } from "@playwright/test";
import { alertsCollection, type Alert } from "@/lib/derived/alerts/alert-record";
import { getConfig } from "@/lib/foundation/config";
import { closeMongoClient, getDb } from "@/lib/platform/db/client";
import { checkpointSeededLogs } from "@/lib/features/generators/seed";
import { getKeyring } from "@/lib/records/integrity/active-keyring";
import { ingestLogs } from "@/lib/records/logs/ingest";
import { ingestedByCli } from "@/lib/records/logs/provenance";
import { ANALYST, ensureTestUsers, signIn, VIEWER } from "./support/auth";

// A burst of more failures than a page of the alert's logs holds, from an address of its own.
const ATTACKER = "203.0.113.150";
const FAILURES = 30;
let alert: Alert;

test.beforeAll(async () => {
  await ensureTestUsers();
  const db = await getDb();
  const start = Date.now() - 2 * 3_600_000;
  const logs = Array.from({ length: FAILURES }, (_, index) => ({
    log_id: `alert-detail-${start.toString(36)}-${index}`,
    timestamp: new Date(start + index * 10_000).toISOString(),
    ip: ATTACKER,
    user: ["root", "admin", "oracle"][index % 3]!,
    action: getConfig().anomaly.failureActions[0] ?? "login",
    status: "failed" as const,
    source: "sshd",
  }));
  await ingestLogs(db, logs, {
    keyring: getKeyring(),
    maxFutureSkewMs: getConfig().ingestMaxFutureSkewMs,
    ingestedBy: ingestedByCli("e2e"),
  });
  await checkpointSeededLogs(db);
  await expect
    .poll(async () => (await alertsCollection(db).findOne({ type: "failure_burst", ip: ATTACKER }))?.count)
    .toBe(FAILURES);
  alert = (await alertsCollection(db).findOne({ type: "failure_burst", ip: ATTACKER }))!;
});

test.afterAll(closeMongoClient);

test("a viewer reads an alert: why it is severe, the activity around it, its history, and pages through its logs to one log", async ({
  page,
  baseURL,
}) => {
  await signIn(page, VIEWER, baseURL!);
  await page.goto(`/anomalies/${alert._id}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(ATTACKER);
  await expect(page.getByTestId("alert-explanation")).toHaveText(alert.explanation);
  await expect(page.getByTestId("severity-reason")).toContainText("Critical:");
  await expect(page.getByTestId("severity-reason")).toContainText(`threshold of ${getConfig().anomaly.burstThreshold}`);

  // The chart's text alternative: a sentence with the sums and a table of the same numbers.
  const activity = page.getByTestId("activity-ip");
  await expect(activity.getByTestId("activity-summary")).toContainText(`${ATTACKER} had ${FAILURES} failed`);
  await activity.getByText("Show as a table").click();
  await expect(activity.getByRole("table")).toBeVisible();
  await expect(activity.getByRole("row").filter({ hasText: "yes" }).first()).toBeVisible();

  const history = page.getByRole("region", { name: "History" });
  await expect(history).toContainText("Raised by detection");
  // A viewer has nothing to change the alert with.
  await expect(page.getByTestId("alert-actions")).toHaveCount(0);

  const logs = page.getByRole("region", { name: "Logs in the alert's window" });
  const rows = logs.locator("tr[data-log-id]");
  await expect(rows).toHaveCount(25);
  const first = await rows.first().getAttribute("data-log-id");
  await logs.getByRole("link", { name: "Later →" }).click();
  await expect(page).toHaveURL(/cursor=/);
  await expect(rows).toHaveCount(FAILURES - 25);
  for (const row of await rows.all()) await expect(row).toContainText(ATTACKER);
  await logs.getByRole("link", { name: "← Earlier" }).click();
  await expect(rows).toHaveCount(25);
  await expect(rows.first()).toHaveAttribute("data-log-id", first!);

  await rows
    .first()
    .getByRole("link", { name: `Details of log ${first}` })
    .click();
  await expect(page).toHaveURL(new RegExp(`/logs/${first}$`));
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByText(`Log ${first}`)).toBeVisible();
  await page.goBack();
  await expect(rows).toHaveCount(25);
  await page.screenshot({ path: test.info().outputPath("alert-detail.png"), fullPage: true });
});

test("the explorer link opens the alert's subject over its window", async ({ page, baseURL }) => {
  await signIn(page, VIEWER, baseURL!);
  await page.goto(`/anomalies/${alert._id}`);
  await page.getByRole("link", { name: "Open in the log explorer" }).click();
  await expect(page).toHaveURL(/\/logs\?.*ip=203\.0\.113\.150/);
  await expect(page.getByRole("heading", { level: 1, name: "Logs" })).toBeVisible();
  await expect(page.locator("tr[data-log-id]")).toHaveCount(FAILURES);
});

test("an analyst acknowledges the alert on its page and sees the change in its history", async ({ page, baseURL }) => {
  await signIn(page, ANALYST, baseURL!);
  await page.goto(`/anomalies/${alert._id}`);
  const actions = page.getByTestId("alert-actions");
  await actions.getByRole("textbox", { name: /^Note for the next change/ }).fill("Blocked at the firewall");
  await actions.getByRole("button", { name: /^Acknowledge/ }).click();
  const change = page.getByRole("region", { name: "History" }).getByTestId("alert-change").last();
  await expect(change).toContainText(`Acknowledged by ${ANALYST.email}`);
  await expect(change).toContainText("“Blocked at the firewall”");
  await expect(actions.getByRole("button", { name: /^Resolve/ })).toBeVisible();
});

test("an analyst mutes findings like the alert from its page, and the rule is listed", async ({ page, baseURL }) => {
  await signIn(page, ANALYST, baseURL!);
  await page.goto(`/anomalies/${alert._id}`);
  const form = page.getByTestId("mute-findings-form");
  await expect(form.getByLabel("IP address or CIDR range")).toHaveValue(ATTACKER);
  await expect(form.getByLabel("Finding type")).toHaveValue("failure_burst");
  await form.getByLabel("Reason").fill("Our own scanner");
  await form.getByRole("button", { name: "Mute findings" }).click();
  await expect(form.getByRole("status")).toContainText("Rule created");
  await form.getByRole("link", { name: "See every rule" }).click();
  const rule = page.locator("tr[data-rule-id]", { hasText: ATTACKER });
  await expect(rule).toHaveCount(1);
  await expect(rule).toContainText("Our own scanner");
  await expect(rule).toHaveAttribute("data-rule-status", "active");
});

test("a malformed id is named as such, an unknown one is not found", async ({ page, baseURL }) => {
  await signIn(page, VIEWER, baseURL!);
  await page.goto("/anomalies/not-an-alert");
  const problem = page.getByRole("alert", { name: "This is not an alert's address" });
  await expect(problem).toContainText("is not an alert id");
  await page.goto("/anomalies/00000000-0000-0000-0000-000000000000");
  await expect(page.getByText("No alert has this id")).toBeVisible();
});
