import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import ExcelJS from "exceljs";
import Papa from "papaparse";
import { createApiKey } from "@/lib/records/auth/api-keys";
import { closeMongoClient, getDb } from "@/lib/platform/db/client";
import { ensureTestUsers, signIn, VIEWER } from "./support/auth";

const SOURCE = `e2e-explorer-${Date.now()}`;
// 60 logs over the last 50 minutes: every other one failed, alternating between two /24 networks.
const LOGS = Array.from({ length: 60 }, (_, index) => ({
  log_id: `${SOURCE}-${index}`,
  timestamp: new Date(Date.now() - (60 - index) * 50_000).toISOString(),
  ip: index % 4 < 2 ? `10.0.3.${index}` : `10.0.4.${index}`,
  user: `explorer-user-${index % 5}`,
  action: "login_attempt",
  status: index % 2 === 0 ? "failed" : "success",
  source: SOURCE,
  message: index === 0 ? "=cmd|' /C calc'!A0" : `attempt ${index}`,
}));
const MATCHING = LOGS.filter((log) => log.status === "failed" && log.ip.startsWith("10.0.3."))
  .map((log) => log.log_id)
  .reverse();

let key: string;

test.beforeAll(async ({ request }) => {
  await ensureTestUsers();
  ({ key } = await createApiKey(
    await getDb(),
    { name: `e2e-explorer-${Date.now()}`, scopes: ["ingest"] },
    { user: "e2e" },
  ));
  const response = await request.post("/api/logs", { headers: { authorization: `Bearer ${key}` }, data: LOGS });
  expect(response.status()).toBe(201);
});

test.afterAll(closeMongoClient);

test("an analyst filters by status and ip, pages through, opens a detail and downloads the matching CSV", async ({
  page,
  baseURL,
}) => {
  expect(MATCHING).toHaveLength(15);
  await signIn(page, VIEWER, baseURL!);
  await page.goto(`/logs?range=1h&source=${SOURCE}&limit=25`);
  await expect(page.locator("tr[data-log-id]")).toHaveCount(25);

  await page.getByLabel("Status", { exact: true }).selectOption("failed");
  await page.getByLabel("IP or CIDR").fill("10.0.3.0/24");
  await page.getByLabel("Rows per page").selectOption("25");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/status=failed/);
  await expect(page).toHaveURL(/ip=10\.0\.3\.0%2F24/);
  await expect(page.getByText("15 logs match")).toBeVisible();

  // 15 rows at 10 per page: two pages, newest first.
  await page.goto(page.url().replace(/limit=25/, "limit=10"));
  const ids = () =>
    page.locator("tr[data-log-id]").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-log-id")));
  await expect(page.locator("tr[data-log-id]")).toHaveCount(10);
  expect(await ids()).toEqual(MATCHING.slice(0, 10));
  await page.getByRole("link", { name: "Older →" }).click();
  await expect(page.locator("tr[data-log-id]")).toHaveCount(5);
  expect(await ids()).toEqual(MATCHING.slice(10));
  await page.getByRole("link", { name: "← Newer" }).click();
  await expect(page.locator("tr[data-log-id]")).toHaveCount(10);
  expect(await ids()).toEqual(MATCHING.slice(0, 10));

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^ledgerline-logs-\d{8}T[\d.]+Z-\d{8}T[\d.]+Z\.csv$/);
  const csv = readFileSync((await download.path())!, "utf8").replace(/^\uFEFF/, "");
  const rows = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
  expect(rows.map((row) => row.log_id)).toEqual(MATCHING);
  for (const row of rows) {
    expect(row.status).toBe("failed");
    expect(row.ip).toMatch(/^10\.0\.3\./);
  }
  expect(rows.find((row) => row.log_id === `${SOURCE}-0`)?.message).toBe("'=cmd|' /C calc'!A0");

  const [workbook] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Excel" }).click(),
  ]);
  expect(workbook.suggestedFilename()).toMatch(/^ledgerline-logs-\d{8}T[\d.]+Z-\d{8}T[\d.]+Z\.xlsx$/);
  const sheet = await new ExcelJS.Workbook().xlsx.readFile((await workbook.path())!);
  const cells = sheet.getWorksheet("logs")!.getSheetValues().slice(2) as unknown[][];
  // Text cells are inline strings, read back as rich text of one run.
  const text = (value: unknown) => (value as { richText: { text: string }[] }).richText.map((run) => run.text).join("");
  expect(cells.map((row) => text(row[1]))).toEqual(MATCHING);
  // The formula text is a string cell, as stored, never a formula; the time is a date.
  const first = cells.find((row) => text(row[1]) === `${SOURCE}-0`)!;
  expect(text(first[8])).toBe("=cmd|' /C calc'!A0");
  expect(first[2]).toBeInstanceOf(Date);

  await page.getByRole("link", { name: `Details of log ${MATCHING[0]}` }).click();
  await expect(page).toHaveURL(new RegExp(`/logs/${MATCHING[0]}$`));
  await expect(page.getByRole("heading", { name: "Integrity" })).toBeVisible();
  await expect(page.getByTitle(/^Its MAC verifies/)).toHaveText(/signed/);
  await page.getByRole("link", { name: "other logs from this IP" }).click();
  await expect(page.locator("tr[data-log-id]").first()).toContainText(
    LOGS.find((log) => log.log_id === MATCHING[0])!.ip,
  );
});

test("an analyst adds a second user and excludes a network; the filters survive a reload and the back button", async ({
  page,
  baseURL,
}) => {
  const idsOf = (keep: (log: (typeof LOGS)[number]) => boolean) =>
    LOGS.filter(keep)
      .map((log) => log.log_id)
      .reverse();
  const twoUsers = idsOf((log) => ["explorer-user-1", "explorer-user-2"].includes(log.user));
  const outsideNetwork = idsOf(
    (log) => ["explorer-user-1", "explorer-user-2"].includes(log.user) && !log.ip.startsWith("10.0.4."),
  );
  expect([twoUsers.length, outsideNetwork.length]).toEqual([24, 12]);
  const ids = () =>
    page.locator("tr[data-log-id]").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-log-id")));
  const activeFilters = page.getByRole("region", { name: "Active filters" });

  await signIn(page, VIEWER, baseURL!);
  await page.goto(`/logs?range=1h&source=${SOURCE}&user=explorer-user-1`);
  await expect(page.getByText("12 logs match")).toBeVisible();

  await page.getByLabel("User", { exact: true }).fill("explorer-user-2");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/user=explorer-user-1&user=explorer-user-2/);
  await expect(page.getByText("24 logs match")).toBeVisible();
  await expect(activeFilters).toContainText("User is any of");
  await expect(page.getByLabel("User", { exact: true })).toHaveValue("");

  await page.getByLabel("IP: is or is not").selectOption("exclude");
  await page.getByLabel("IP or CIDR").fill("10.0.4.0/24");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/exclude_ip=10\.0\.4\.0%2F24/);
  await expect(page.getByText("12 logs match")).toBeVisible();
  expect(await ids()).toEqual(outsideNetwork);
  await expect(activeFilters.getByRole("link", { name: "Remove filter: IP is not 10.0.4.0/24" })).toBeVisible();

  await page.reload();
  await expect(page.getByText("12 logs match")).toBeVisible();
  expect(await ids()).toEqual(outsideNetwork);

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^ledgerline-logs-\d{8}T[\d.]+Z-\d{8}T[\d.]+Z\.csv$/);
  const csv = readFileSync((await download.path())!, "utf8").replace(/^\uFEFF/, "");
  expect(
    Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data.map((row) => row.log_id),
  ).toEqual(outsideNetwork);

  await page.goBack();
  await expect(page).not.toHaveURL(/exclude_ip/);
  await expect(page.getByText("24 logs match")).toBeVisible();
  expect(await ids()).toEqual(twoUsers);
  await expect(activeFilters.getByText("IP is not")).toHaveCount(0);

  await page.goForward();
  await expect(page.getByText("12 logs match")).toBeVisible();
  await page.getByRole("link", { name: "Remove filter: User is explorer-user-1" }).click();
  await expect(page).not.toHaveURL(/user=explorer-user-1/);
  await expect(page.getByText("6 logs match")).toBeVisible();
  expect(await ids()).toEqual(
    outsideNetwork.filter((id) => LOGS.find((log) => log.log_id === id)!.user === "explorer-user-2"),
  );
});

test("bad filter values get a message naming them, not an error page", async ({ page, baseURL }) => {
  await signIn(page, VIEWER, baseURL!);
  await page.goto("/logs?ip=10.0.3.5/24&limit=9999&colour=red");
  await expect(page.getByRole("heading", { name: "These filters cannot be used" })).toBeVisible();
  await expect(page.getByText("did you mean 10.0.3.0/24")).toBeVisible();
  await expect(page.getByText("colour", { exact: true })).toBeVisible();
  await expect(page.getByText("limit", { exact: true })).toBeVisible();
});

test("with live on, a new matching log appears without losing the filters", async ({ page, request, baseURL }) => {
  await signIn(page, VIEWER, baseURL!);
  await page.goto(`/logs?range=1h&source=${SOURCE}&status=success`);
  await expect(page.locator("tr[data-log-id]")).toHaveCount(30);
  await page.getByLabel("Live").check();
  const fresh = {
    log_id: `${SOURCE}-live`,
    ip: "10.0.3.250",
    user: "live-user",
    action: "login_attempt",
    status: "success",
    source: SOURCE,
  };
  expect((await request.post("/api/logs", { headers: { authorization: `Bearer ${key}` }, data: fresh })).status()).toBe(
    201,
  );
  await expect(page.locator(`tr[data-log-id="${fresh.log_id}"]`)).toBeVisible({ timeout: 15_000 });
  await expect(page.locator("tr[data-log-id]")).toHaveCount(31);
  await expect(page.getByLabel("Status", { exact: true })).toHaveValue("success");
});
