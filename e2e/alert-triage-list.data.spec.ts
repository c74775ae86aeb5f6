import { expect, test, type Page } from "@playwright/test";
import { FINDING_TYPE_LABELS } from "@/components/anomalies/labels";
import { FINDING_TYPES, SEVERITIES } from "@/lib/records/anomaly";
import type { Alert } from "@/lib/derived/alerts/alert-record";
import { alertsCollection } from "@/lib/derived/alerts/alert-record";
import { storeAlerts } from "@/lib/derived/alerts/store-alerts";
import { closeMongoClient, getDb } from "@/lib/platform/db/client";
import type { InjectedAnomaly } from "@/lib/features/generators/anomalies";
import { checkpointSeededLogs, injectAnomalies } from "@/lib/features/generators/seed";
import { rebuildRollups } from "@/lib/derived/rollups/rebuild";
import { ANALYST, ensureTestUsers, signIn, VIEWER } from "./support/auth";

// 300 alerts on 30 addresses of 100.64.0.0/24, each address with 10 alerts of 5 types;
// alert i has type TYPES[floor(i / 30) % 5] and severity SEVERITIES[i % 4].
const NETWORK = "100.64.0.0/24";
const TYPES = FINDING_TYPES.slice(0, 5);
const COUNT = 300;
const ipOf = (index: number) => `100.64.0.${index % 30}`;
const typeOf = (index: number) => TYPES[Math.floor(index / 30) % 5]!;
const severityOf = (index: number) => SEVERITIES[index % 4]!;
const indexes = Array.from({ length: COUNT }, (_, index) => index);

function makeAlert(index: number, now: number): Alert {
  const start = new Date(now - (index + 10) * 60_000);
  const user = index % 3 === 0 ? `triage.user${index % 4}` : undefined;
  return {
    _id: `e2e-triage-${index}`,
    type: typeOf(index),
    severity: severityOf(index),
    ip: ipOf(index),
    ...(user && { user }),
    start,
    end: new Date(start.getTime() + 5 * 60_000),
    count: 5 + (index % 17),
    log_ids: [],
    explanation: `generated alert ${index}`,
    subject_key: JSON.stringify([typeOf(index), ipOf(index), user ?? null]),
    status: "open",
    created_at: start,
    updated_at: start,
    history: [],
  };
}

let injected: InjectedAnomaly[];
const burst = () => injected.find((anomaly) => anomaly.type === "failure_burst")!;

test.beforeAll(async () => {
  await ensureTestUsers();
  const db = await getDb();
  // One real burst, raised by a checkpoint as the server's own timer would within a minute...
  injected = await injectAnomalies(db);
  await checkpointSeededLogs(db);
  await expect.poll(() => alertsCollection(db).countDocuments({ type: "failure_burst", ip: burst().ip })).toBe(1);
  // ...and a few hundred stored as detection stores them, then counted in the rollups as detection's are
  // (the navigation's open count, which later specs compare with the alerts, reads them).
  const now = Date.now();
  await storeAlerts(
    db,
    indexes.map((index) => makeAlert(index, now)),
  );
  await rebuildRollups(db);
});

test.afterAll(closeMongoClient);

const rows = (page: Page) => page.locator("tbody tr[data-alert-id]");
const statusTabs = (page: Page) => page.getByRole("navigation", { name: "Status" });

test("filters by severity and type through the address, in a sortable table that links each alert", async ({
  page,
  baseURL,
}) => {
  await signIn(page, VIEWER, baseURL!);
  await page.goto(`/anomalies?min_severity=high&type=password_spraying&subject=${NETWORK}`);
  await expect(page.getByRole("heading", { level: 1, name: "Anomalies" })).toBeVisible();
  await expect(
    page.getByRole("navigation", { name: "Anomalies sections" }).getByRole("link", { name: "Suppression rules" }),
  ).toHaveAttribute("href", "/anomalies/suppressions");

  const expected = indexes.filter(
    (index) => typeOf(index) === "password_spraying" && ["high", "critical"].includes(severityOf(index)),
  );
  await expect(rows(page)).toHaveCount(expected.length);
  for (const row of await rows(page).all()) {
    await expect(row).toContainText(FINDING_TYPE_LABELS.password_spraying);
    await expect(row.getByRole("cell").first()).toHaveText(/^(high|critical)$/);
  }
  // Most severe first; a viewer has no checkboxes.
  await expect(rows(page).first()).toContainText("critical");
  await expect(page.getByRole("table").getByRole("checkbox")).toHaveCount(0);
  const first = rows(page).first();
  await expect(first.getByRole("link", { name: FINDING_TYPE_LABELS.password_spraying })).toHaveAttribute(
    "href",
    `/anomalies/${await first.getAttribute("data-alert-id")}`,
  );

  // A header sorts by its column, in the address; the back button returns to the previous order.
  await page.getByRole("link", { name: /^Count/ }).click();
  await expect(page).toHaveURL(/sort=count/);
  await expect(page.getByRole("columnheader", { name: /^Count/ })).toHaveAttribute("aria-sort", "descending");
  const counts = await rows(page).locator("td:nth-child(6)").allTextContents();
  expect(counts.map(Number)).toEqual([...counts.map(Number)].sort((a, b) => b - a));
  await page.goBack();
  await expect(page).not.toHaveURL(/sort=count/);

  // The filter form writes the address too.
  await page.getByLabel("Minimum severity").selectOption("critical");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/min_severity=critical/);
  await expect(rows(page)).toHaveCount(expected.filter((index) => severityOf(index) === "critical").length);
});

test("groups by subject: one row per address with every type it raised, expandable; or per user", async ({
  page,
  baseURL,
}) => {
  await signIn(page, VIEWER, baseURL!);
  await page.goto(`/anomalies?subject=${NETWORK}`);
  await statusTabs(page).getByRole("link", { name: /^All/ }).click();
  await page.getByRole("navigation", { name: "Rows" }).getByRole("link", { name: "Group by IP" }).click();
  await expect(page).toHaveURL(/group=ip/);

  const group = page.locator('tbody[data-group="ip:100.64.0.7"]');
  const disclosure = group.getByRole("button", { name: /100\.64\.0\.7 \(10 alerts\)/ });
  await expect(disclosure).toHaveAttribute("aria-expanded", "false");
  for (const type of TYPES) await expect(group).toContainText(FINDING_TYPE_LABELS[type]);
  const members = page.locator(`#${await disclosure.getAttribute("aria-controls")} tr`);
  await expect(members.first()).toBeHidden();
  await disclosure.focus();
  await page.keyboard.press("Enter");
  await expect(disclosure).toHaveAttribute("aria-expanded", "true");
  await expect(members).toHaveCount(10);
  await expect(members.first()).toBeVisible();

  await page.getByRole("navigation", { name: "Rows" }).getByRole("link", { name: "Group by user" }).click();
  // Every alert of 100.64.0.0 names a user, so it moves under its user; those of 100.64.0.7 name none and stay.
  await expect(page.locator('tbody[data-group="user:triage.user0"]')).toBeVisible();
  await expect(page.locator('tbody[data-group="ip:100.64.0.0"]')).toHaveCount(0);
  await expect(page.locator('tbody[data-group="ip:100.64.0.7"]')).toHaveCount(1);
});

test("an analyst acknowledges every alert matching a filter with one note, and the tabs' counts change", async ({
  page,
  baseURL,
}) => {
  await signIn(page, ANALYST, baseURL!);
  await page.goto(`/anomalies?type=failure_burst&subject=${NETWORK}`);
  const matching = indexes.filter((index) => typeOf(index) === "failure_burst").length;
  await expect(statusTabs(page).getByRole("link", { name: `Open (${matching})` })).toBeVisible();
  await expect(statusTabs(page).getByRole("link", { name: "Acknowledged (0)" })).toBeVisible();
  await expect(rows(page)).toHaveCount(50);

  await page.getByRole("checkbox", { name: "Select every alert on this page" }).check();
  await page.getByRole("button", { name: `Select all ${matching} alerts matching this filter` }).click();
  await page.getByRole("textbox", { name: "Note for the change of the selected alerts" }).fill("Lab scanner, known");
  await page.getByRole("button", { name: `Acknowledge ${matching} alerts` }).click();

  await expect(page.getByRole("status")).toHaveText(`${matching} alerts acknowledged.`);
  await expect(statusTabs(page).getByRole("link", { name: "Open (0)" })).toBeVisible();
  await expect(statusTabs(page).getByRole("link", { name: `Acknowledged (${matching})` })).toBeVisible();
  // The list is empty now; what the change did is still on the page.
  await expect(page.getByText("No alerts match")).toBeVisible();
  await expect(page.getByRole("status")).toHaveText(`${matching} alerts acknowledged.`);
  await statusTabs(page)
    .getByRole("link", { name: /^Acknowledged/ })
    .click();
  await expect(rows(page).first()).toContainText(`by ${ANALYST.email}`);
  const stored = await alertsCollection(await getDb()).findOne({ _id: "e2e-triage-0" });
  expect(stored?.history.map(({ status, by, note }) => ({ status, by, note }))).toEqual([
    { status: "acknowledged", by: ANALYST.email, note: "Lab scanner, known" },
  ]);
});

test("lists the burst detection raised among the open alerts", async ({ page, baseURL }) => {
  await signIn(page, VIEWER, baseURL!);
  await page.goto(`/anomalies?subject=${burst().ip}&type=failure_burst`);
  const stored = await alertsCollection(await getDb()).findOne({ type: "failure_burst", ip: burst().ip });
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).locator("td:nth-child(6)")).toHaveText(String(stored!.count));
  await expect(rows(page)).toContainText("Open");
});

test("names a bad parameter instead of failing", async ({ page, baseURL }) => {
  await signIn(page, VIEWER, baseURL!);
  const response = await page.goto("/anomalies?min_severity=huge&status=closed&subject=10.0.0.0/99");
  expect(response?.status()).toBe(200);
  const problem = page.getByRole("alert").filter({ hasText: "This address cannot be shown" });
  await expect(problem).toContainText("min_severity must be one of low, medium, high, critical");
  await expect(problem).toContainText("status must be one of open, acknowledged, resolved, suppressed, all");
  await expect(problem).toContainText("subject");
});
