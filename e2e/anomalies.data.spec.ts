import { expect, test, type Page } from "@playwright/test";
import { FINDING_TYPE_LABELS } from "@/components/anomalies/labels";
import { alertsCollection } from "@/lib/alerts/alerts";
import { closeMongoClient, getDb } from "@/lib/db/client";
import type { InjectedAnomaly } from "@/lib/generators/anomalies";
import { checkpointSeededLogs, injectAnomalies } from "@/lib/generators/seed";
import { ANALYST, ensureTestUsers, signIn, VIEWER } from "./support/auth";

let injected: InjectedAnomaly[];
const burst = () => injected.find((anomaly) => anomaly.type === "failure_burst")!;

test.beforeAll(async () => {
  await ensureTestUsers();
  const db = await getDb();
  injected = await injectAnomalies(db);
  // The checkpoint turns the new logs into alerts, as the server's own timer would within a minute.
  await checkpointSeededLogs(db);
  await expect.poll(() => alertsCollection(db).countDocuments({ type: "failure_burst", ip: burst().ip })).toBe(1);
});

test.afterAll(closeMongoClient);

const alertsRegion = (page: Page) => page.getByRole("region", { name: "Alerts", exact: true });
const findingsRegion = (page: Page) => page.getByRole("region", { name: "Findings for a time range" });
const burstAlert = (page: Page) =>
  alertsRegion(page).getByRole("region", { name: new RegExp(FINDING_TYPE_LABELS.failure_burst) }).locator("li[data-alert-id]", { hasText: burst().ip! });

test("the anomalies page shows the injected findings and a link lands on the matching logs", async ({ page, baseURL }) => {
  await signIn(page, VIEWER, baseURL!);
  await page.goto("/anomalies");
  await expect(page.getByRole("heading", { level: 1, name: "Anomalies" })).toBeVisible();

  // Stored alerts, from the checkpoint: the burst, with its severity in words and its status.
  await expect(burstAlert(page)).toHaveCount(1);
  await expect(burstAlert(page)).toContainText(/Severity\s*(high|critical|medium)/i);
  await expect(burstAlert(page)).toContainText("Open");
  await expect(burstAlert(page)).toContainText(`${burst().count} logs`);

  // Findings over the last 24 hours, the baseline rules included: every injected anomaly with its subject.
  for (const anomaly of injected) {
    const group = findingsRegion(page).getByRole("region", { name: new RegExp(FINDING_TYPE_LABELS[anomaly.type]) });
    await expect(group, anomaly.type).toContainText((anomaly.ip ?? anomaly.user)!);
  }

  // A viewer reads alerts but has nothing to change them with.
  await expect(burstAlert(page).getByRole("button", { name: /^(Acknowledge|Resolve)/ })).toHaveCount(0);

  await burstAlert(page).getByRole("link", { name: "View logs" }).click();
  await expect(page).toHaveURL(/\/logs\?.*ip=203\.0\.113\.66/);
  await expect(page.getByRole("heading", { level: 1, name: "Logs" })).toBeVisible();
  const rows = page.locator("tr[data-log-id]");
  await expect(rows).toHaveCount(burst().count);
  for (const row of await rows.all()) await expect(row).toContainText(burst().ip!);
});

test("an analyst acknowledging an alert sees who did it and a lower count of open alerts in the navigation", async ({ page, baseURL }) => {
  await signIn(page, ANALYST, baseURL!);
  await page.goto("/anomalies?status=open");
  const badge = page.getByRole("navigation", { name: "Main" }).getByTestId("open-alerts-badge");
  const before = Number((await badge.getAttribute("title"))!.split(" ")[0]);
  expect(before).toBeGreaterThan(0);
  await expect(page.getByRole("link", { name: /^Anomalies/ })).toHaveAccessibleName(`Anomalies ${before} open alert${before === 1 ? "" : "s"}`);

  const item = burstAlert(page);
  const id = await item.getAttribute("data-alert-id");
  await item.getByRole("textbox", { name: /^Note for the next change/ }).fill("Checked with the network team");
  await item.getByRole("button", { name: /^Acknowledge/ }).click();

  // Filtered to open alerts, the acknowledged one leaves the list; with every status shown it says who acknowledged it.
  await expect(page.locator(`li[data-alert-id="${id}"]`)).toHaveCount(0);
  await expect(badge).toHaveAttribute("title", `${before - 1} open alert${before - 1 === 1 ? "" : "s"}`);
  await page.getByRole("navigation", { name: "Status" }).getByRole("link", { name: "All" }).click();
  const acknowledged = page.locator(`li[data-alert-id="${id}"]`);
  await expect(acknowledged).toHaveAttribute("data-alert-status", "acknowledged");
  await expect(acknowledged).toContainText(`Acknowledged by ${ANALYST.email}`);
  await expect(acknowledged).toContainText("“Checked with the network team”");

  await acknowledged.getByRole("button", { name: /^Resolve/ }).click();
  await expect(acknowledged).toHaveAttribute("data-alert-status", "resolved");
  await expect(acknowledged.getByRole("button", { name: /^Reopen/ })).toBeVisible();
});

test("names a bad parameter instead of failing", async ({ page, baseURL }) => {
  await signIn(page, VIEWER, baseURL!);
  const response = await page.goto("/anomalies?range=3w&status=closed");
  expect(response?.status()).toBe(200);
  const problem = page.getByRole("alert").filter({ hasText: "This address cannot be shown" });
  await expect(problem).toContainText("range must be one of 15m, 1h, 24h, 7d");
  await expect(problem).toContainText("status must be one of open, acknowledged, resolved, suppressed");
});
