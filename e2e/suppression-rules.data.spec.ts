import { expect, test, type Page } from "@playwright/test";
import { alertsCollection, countOpenAlerts } from "@/lib/derived/alerts/alert-record";
import { createApiKey } from "@/lib/records/auth/api-keys";
import { closeMongoClient, getDb } from "@/lib/platform/db/client";
import { checkpointSeededLogs } from "@/lib/features/generators/seed";
import { ANALYST, ensureTestUsers, signIn, VIEWER } from "./support/auth";

const SOURCE = `e2e-suppression-${Date.now()}`;
// An address range no other spec sends from: the rule must mute this spec's findings alone.
const RANGE = "192.0.2.0/24";
const SCANNER = "192.0.2.44";
const REASON = `Our own vulnerability scanner (${SOURCE})`;

test.beforeAll(ensureTestUsers);
test.afterAll(closeMongoClient);

/** Six failed sign-ins from the scanner, each against another user and outside off-hours: every finding they raise names the address. */
async function sendScannerFailures(page: Page): Promise<void> {
  const { key } = await createApiKey(await getDb(), { name: SOURCE, scopes: ["ingest"] }, { user: "e2e" });
  const noon = new Date();
  noon.setUTCHours(12, 0, 0, 0);
  if (noon.getTime() > Date.now()) noon.setUTCDate(noon.getUTCDate() - 1);
  const logs = Array.from({ length: 6 }, (_, i) => ({
    log_id: `${SOURCE}-${i}`,
    timestamp: new Date(noon.getTime() + i * 20_000).toISOString(),
    ip: SCANNER,
    user: `scan-target-${i}`,
    action: "login",
    status: "failed",
    source: SOURCE,
  }));
  const response = await page.request.post("/api/logs", { headers: { authorization: `Bearer ${key}` }, data: logs });
  expect(response.status()).toBe(201);
}

/** The open-alerts count in the navigation (0 when it shows none). */
async function badgeCount(page: Page): Promise<number> {
  const badge = page.getByRole("navigation", { name: "Main" }).getByTestId("open-alerts-badge");
  if ((await badge.count()) === 0) return 0;
  return Number((await badge.getAttribute("title"))!.split(" ")[0]);
}

test("an analyst mutes an address range, its new finding stays muted, and removing the rule leaves it so", async ({
  page,
  baseURL,
}) => {
  await signIn(page, ANALYST, baseURL!);
  await page.goto("/anomalies/suppressions");
  await expect(page.getByRole("heading", { level: 1, name: "Suppression rules" })).toBeVisible();

  const form = page.getByRole("form", { name: "New rule" });
  await form.getByLabel("Finding type").selectOption({ label: "Any type" });
  await form.getByLabel("IP address or CIDR range").fill(RANGE);
  await form.getByLabel("Reason").fill(REASON);
  await form.getByLabel("30 days").check();
  await form.getByRole("button", { name: "Mute findings" }).click();
  await expect(form.getByRole("status")).toContainText("Rule created");

  const row = page.locator("tr[data-rule-id]", { hasText: REASON });
  await expect(row).toHaveAttribute("data-rule-status", "active");
  await expect(row).toContainText(RANGE);
  await expect(row).toContainText(ANALYST.email);
  const ruleId = await row.getAttribute("data-rule-id");

  await sendScannerFailures(page);
  const db = await getDb();
  await checkpointSeededLogs(db);
  await expect.poll(() => alertsCollection(db).countDocuments({ ip: SCANNER, type: "failure_burst" })).toBe(1);
  const muted = await alertsCollection(db).find({ ip: SCANNER }).toArray();
  expect(muted.map((alert) => [alert.type, alert.status, alert.suppressed_by]).sort()).toEqual(
    ["failure_burst", "password_spraying", "unknown_network"].map((type) => [type, "suppressed", ruleId]),
  );

  // Listed under its own status, and not in the navigation's count of open alerts.
  await page.goto("/anomalies?status=suppressed");
  await expect(page.locator(`[data-alert-id="${muted[0]!._id}"]`)).toHaveAttribute("data-alert-status", "suppressed");
  await expect(async () => {
    await page.reload();
    expect(await badgeCount(page)).toBe(await countOpenAlerts(db));
  }).toPass({ timeout: 20_000 });

  await page.goto("/anomalies/suppressions");
  await row.getByRole("button", { name: /^Remove the rule muting/ }).click();
  await expect(row).toHaveCount(0);
  expect(await alertsCollection(db).countDocuments({ ip: SCANNER, status: "suppressed" })).toBe(3);
});

test("a viewer reads the rules but has nothing to change them with", async ({ page, baseURL }) => {
  await signIn(page, VIEWER, baseURL!);
  await page.goto("/anomalies/suppressions");
  await expect(page.getByRole("heading", { level: 1, name: "Suppression rules" })).toBeVisible();
  await expect(page.getByRole("form", { name: "New rule" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Remove/ })).toHaveCount(0);
  await expect(page.getByText("As a viewer you read the rules")).toBeVisible();
});
