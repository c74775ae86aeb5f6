import { expect, test, type Page } from "@playwright/test";
import { recordFindings } from "@/lib/derived/alerts/detect";
import { createApiKey } from "@/lib/records/auth/api-keys";
import { closeMongoClient, getDb } from "@/lib/platform/db/client";
import { checkpointSeededLogs } from "@/lib/features/generators/seed";
import { rebuildRollups } from "@/lib/derived/rollups/rebuild";
import { ensureTestUsers, signIn, VIEWER } from "./support/auth";

const SOURCE = `e2e-dashboard-${Date.now()}`;
// Not an address the anomaly injection (another spec) uses: the top-IP counts must be this spec's own.
const ATTACKER = "198.51.100.177";
const HOUR = 3_600_000;
const log = (
  index: number,
  fields: { ip: string; user: string; action: string; status: "success" | "failed"; ago: number },
) => ({
  log_id: `${SOURCE}-${index}`,
  timestamp: new Date(Date.now() - fields.ago).toISOString(),
  ip: fields.ip,
  user: fields.user,
  action: fields.action,
  status: fields.status,
  source: SOURCE,
});
// 40 failures from one address in the last two hours, normal traffic over the day, and 30 older logs from 3 to 6 days
// ago.
const RECENT_ATTACK = Array.from({ length: 40 }, (_, i) =>
  log(i, { ip: ATTACKER, user: `victim-${i % 4}`, action: "login", status: "failed", ago: (i + 1) * 150_000 }),
);
const DAY_TRAFFIC = Array.from({ length: 60 }, (_, i) =>
  log(100 + i, {
    ip: `198.51.100.${i % 12}`,
    user: `staff-${i % 6}`,
    action: i % 3 === 0 ? "file_access" : "login",
    status: i % 10 === 0 ? "failed" : "success",
    ago: (i + 1) * 0.35 * HOUR,
  }),
);
const OLDER = Array.from({ length: 30 }, (_, i) =>
  log(200 + i, {
    ip: `198.51.100.${i % 5}`,
    user: `staff-${i % 3}`,
    action: "logout",
    status: "success",
    ago: (3 * 24 + i * 2.5) * HOUR,
  }),
);

let key: string;

test.beforeAll(async ({ request }) => {
  await ensureTestUsers();
  ({ key } = await createApiKey(await getDb(), { name: SOURCE, scopes: ["ingest"] }, { user: "e2e" }));
  const response = await request.post("/api/logs", {
    headers: { authorization: `Bearer ${key}` },
    data: [...RECENT_ATTACK, ...DAY_TRAFFIC, ...OLDER],
  });
  expect(response.status()).toBe(201);
  // Rollups are written by checkpoints; what arrives later is read from the fresh tail.
  await checkpointSeededLogs(await getDb());
  const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
  await recordFindings(
    await getDb(),
    [
      {
        type: "failure_burst",
        severity: "high",
        ip: ATTACKER,
        start: minutesAgo(100),
        end: minutesAgo(5),
        count: 40,
        log_ids: [],
        explanation: "40 failures",
      },
      {
        type: "password_spraying",
        severity: "critical",
        ip: ATTACKER,
        start: minutesAgo(100),
        end: minutesAgo(5),
        count: 40,
        log_ids: [],
        explanation: "4 users",
      },
      {
        type: "off_hours",
        severity: "low",
        user: "staff-1",
        start: minutesAgo(300),
        end: minutesAgo(290),
        count: 2,
        log_ids: [],
        explanation: "at night",
      },
    ],
    60_000,
  );
  // Alerts stored by hand, not by detection at a checkpoint, are counted by a rebuild.
  await rebuildRollups(await getDb());
});

test.afterAll(closeMongoClient);

const CHARTS = [
  ["events-over-time", "Events over time"],
  ["success-vs-failed", "Success vs failed"],
  ["hour-of-day", "Activity by hour of day"],
  ["top-ips", "Top 10 IPs by failures"],
  ["top-users", "Top 10 users by failures"],
  ["top-actions", "Top actions"],
  ["anomalies", "Anomalies by type and severity"],
] as const;

/** Console errors and CSP violations on the page, collected as they happen. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  return problems;
}

const headline = (page: Page, label: string) =>
  page
    .locator("dl[aria-label='Headline numbers'] > div")
    .filter({ has: page.getByText(label, { exact: true }) })
    .locator("dd")
    .first();
const countOf = async (page: Page, label: string) =>
  Number((await headline(page, label).innerText()).replace(/,/g, ""));

test("a security lead sees every chart with data, changes the range, and opens the explorer from the top IP", async ({
  page,
  baseURL,
}) => {
  const problems = watchProblems(page);
  await signIn(page, VIEWER, baseURL!);
  await page.goto("/dashboard?range=24h");

  for (const [id, title] of CHARTS) {
    const figure = page.locator(`figure[data-chart="${id}"]`);
    await expect(figure.getByRole("heading", { name: title })).toBeVisible();
    await expect(figure.locator("canvas")).toBeVisible();
    await expect(figure.locator("table")).toHaveCount(1);
  }
  const topIps = page.locator('figure[data-chart="top-ips"]');
  await expect(topIps.locator("tbody tr").first()).toHaveText(`${ATTACKER}40`);
  await expect(page.locator('figure[data-chart="top-users"] tbody')).toContainText("victim-0");
  await expect(page.locator('figure[data-chart="anomalies"] tbody')).toContainText("password spraying");
  await expect(page.locator('figure[data-chart="anomalies"] tbody')).toContainText("critical");
  await expect(page.locator('figure[data-chart="hour-of-day"] tbody tr')).toHaveCount(24);
  expect(await countOf(page, "Failed events")).toBeGreaterThanOrEqual(46);
  await expect(page.getByTestId("failure-rate")).toHaveText(/^\d+\.\d%$/);

  // Charts draw in the browser: a drawn canvas has non-blank pixels.
  const drawn = await topIps.locator("canvas").evaluate((canvas: HTMLCanvasElement) => canvas.toDataURL().length);
  expect(drawn).toBeGreaterThan(3_000);

  await page.screenshot({ path: test.info().outputPath("dashboard.png"), fullPage: true });
  await test.info().attach("dashboard", { path: test.info().outputPath("dashboard.png"), contentType: "image/png" });

  const day = await countOf(page, "Total events");
  await page.getByLabel("Time range").selectOption("7d");
  await expect(page).toHaveURL(/range=7d/);
  await expect.poll(() => countOf(page, "Total events")).toBeGreaterThanOrEqual(day + OLDER.length);
  await expect(page.getByTestId("dashboard-window")).toContainText("6 hours");

  await page.getByLabel("Time range").selectOption("24h");
  await expect(page).toHaveURL(/range=24h/);
  const canvas = topIps.locator("canvas");
  await expect(canvas).toBeVisible();
  const box = (await canvas.boundingBox())!;
  const rows = await topIps.locator("tbody tr").count();
  // The first (largest) bar is the top row; a click anywhere on its row opens it.
  await canvas.click({ position: { x: box.width * 0.7, y: (box.height - 30) / rows / 2 + 4 } });
  await expect(page).toHaveURL(new RegExp(`/logs\\?.*ip=${ATTACKER.replace(/\./g, "\\.")}`));
  await expect(page).toHaveURL(/status=failed/);
  await expect(page.getByText("40 logs match")).toBeVisible();
  await expect(page.locator("tr[data-log-id]").first()).toContainText(ATTACKER);

  expect(problems).toEqual([]);
});

test("auto-refresh shows a new failure without a reload, before the next checkpoint", async ({
  page,
  request,
  baseURL,
}) => {
  await signIn(page, VIEWER, baseURL!);
  await page.goto("/dashboard?range=24h");
  const topIps = page.locator('figure[data-chart="top-ips"]');
  await expect(topIps.locator("tbody tr").first()).toContainText(ATTACKER);
  // The table sits in a closed <details>: read its text, not what is rendered.
  const before = Number((await topIps.locator("tbody tr").first().locator("td").textContent())!.replace(/,/g, ""));
  expect(before).toBeGreaterThanOrEqual(RECENT_ATTACK.length);
  await page.getByLabel("Auto-refresh").check();
  const fresh = log(999, { ip: ATTACKER, user: "victim-0", action: "login", status: "failed", ago: 0 });
  expect((await request.post("/api/logs", { headers: { authorization: `Bearer ${key}` }, data: fresh })).status()).toBe(
    201,
  );
  await expect(topIps.locator("tbody tr").first()).toHaveText(`${ATTACKER}${before + 1}`, { timeout: 25_000 });
});

test("bad dashboard parameters get a message naming them", async ({ page, baseURL }) => {
  await signIn(page, VIEWER, baseURL!);
  await page.goto("/dashboard?range=1y&colour=red");
  await expect(page.getByRole("heading", { name: "This dashboard link cannot be used" })).toBeVisible();
  await expect(page.getByText("colour", { exact: true })).toBeVisible();
  await expect(page.getByText("range", { exact: true })).toBeVisible();
});

test("the dashboard fits a phone screen", async ({ page, baseURL }) => {
  await page.setViewportSize({ width: 412, height: 915 });
  await signIn(page, VIEWER, baseURL!);
  await page.goto("/dashboard?range=24h&tz=Asia/Kolkata");
  for (const [id] of CHARTS) await expect(page.locator(`figure[data-chart="${id}"] canvas`)).toBeVisible();
  await expect(page.getByTestId("dashboard-window")).toContainText("in Asia/Kolkata");
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(1);
  await page.screenshot({ path: test.info().outputPath("dashboard-phone.png"), fullPage: true });
  await test
    .info()
    .attach("dashboard-phone", { path: test.info().outputPath("dashboard-phone.png"), contentType: "image/png" });
});
