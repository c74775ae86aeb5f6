// A service stores logs whose user, action, source, message and metadata hold
// HTML and script payloads (through POST /api/logs); a viewer opens the
// explorer's list, a filter by one of them and a log's detail page. Every
// payload is shown as the text it is: no element it names exists in the page,
// no script of it ran and no dialog opened.
import { expect, test, type Page } from "@playwright/test";
import { createApiKey } from "@/lib/records/auth/api-keys";
import { closeMongoClient, getDb } from "@/lib/platform/db/client";
import { ensureTestUsers, signIn, VIEWER } from "./support/auth";

const MARK = "__ledgerlinePwned";
const WINDOW = "from=2025-06-15T00:00:00Z&to=2025-06-16T00:00:00Z";

const FIRST = {
  log_id: "hostile-1",
  timestamp: "2025-06-15T10:00:00Z",
  ip: "203.0.113.7",
  user: `<img src=x onerror="window.${MARK}=1">`,
  action: `<script>window.${MARK}=1</script>`,
  status: "failed",
  source: `"><svg onload="window.${MARK}=1">`,
  message: `<iframe srcdoc="<script>parent.${MARK}=1</script>"></iframe><b>bold</b> =HYPERLINK("http://x")`,
  metadata: { "<b>key</b>": "<img src=x onerror=alert(1)>", note: "javascript:alert(1)", "=1+1": "@SUM(1,1)" },
};
const SECOND = {
  log_id: "hostile-2",
  timestamp: "2025-06-15T10:01:00Z",
  user: "<script>alert(1)</script>",
  action: "<img src=x onerror=alert(1)>",
  status: "success",
  source: '{{7*7}}${7*7}<a href="javascript:alert(1)">x</a>',
  message: "</td></tr><tr><td>cell</td></tr>",
};
const LOGS = [FIRST, SECOND];

let key: string;

test.beforeAll(async () => {
  await ensureTestUsers();
  ({ key } = await createApiKey(
    await getDb(),
    { name: `e2e-hostile-${Date.now()}`, scopes: ["ingest"] },
    { user: "e2e" },
  ));
});

test.afterAll(async () => {
  await closeMongoClient();
});

/** Dialogs the page opened; each is dismissed. */
function watchDialogs(page: Page): string[] {
  const opened: string[] = [];
  page.on("dialog", (dialog) => {
    opened.push(dialog.message());
    void dialog.dismiss();
  });
  return opened;
}

/** No element a payload names exists, none of their scripts ran, and no dialog opened. */
async function expectNothingInjected(page: Page, dialogs: string[]): Promise<void> {
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await expect(page.locator("svg[onload], [onerror], [onload]")).toHaveCount(0);
  await expect(page.locator("iframe")).toHaveCount(0);
  await expect(page.locator("b", { hasText: "bold" })).toHaveCount(0);
  await expect(page.locator("b", { hasText: "key" })).toHaveCount(0);
  await expect(page.locator('a[href^="javascript:"]')).toHaveCount(0);
  await expect(page.locator("td", { hasText: /^cell$/ })).toHaveCount(0);
  const injectedScripts = await page
    .locator("script")
    .evaluateAll(
      (scripts, mark) =>
        scripts.filter(
          (script) =>
            script.textContent?.trim().startsWith(`window.${mark}`) || script.textContent?.trim() === "alert(1)",
        ).length,
      MARK,
    );
  expect(injectedScripts).toBe(0);
  expect(await page.evaluate((mark) => (window as unknown as Record<string, unknown>)[mark], MARK)).toBeUndefined();
  expect(dialogs).toEqual([]);
}

test("HTML and script payloads in a log's fields show as text in the explorer and the log's page, and none runs", async ({
  request,
  page,
  baseURL,
}) => {
  const stored = await request.post("/api/logs", {
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    data: JSON.stringify(LOGS),
  });
  expect(stored.status()).toBe(201);

  const dialogs = watchDialogs(page);
  await signIn(page, VIEWER, baseURL!);

  await page.goto(`/logs?${WINDOW}`);
  for (const log of LOGS) {
    const row = page.locator(`tr[data-log-id="${log.log_id}"]`);
    await expect(row).toHaveCount(1);
    for (const text of [log.user, log.action, log.source, log.message]) await expect(row).toContainText(text);
  }
  await expectNothingInjected(page, dialogs);

  // A filter by a payload: the active filter and the row show it as text.
  await page.goto(`/logs?${WINDOW}&user=${encodeURIComponent(FIRST.user)}`);
  await expect(page.locator("tr[data-log-id]")).toHaveCount(1);
  await expect(page.locator('tr[data-log-id="hostile-1"]')).toContainText(FIRST.user);
  await expect(page.getByText(FIRST.user).first()).toBeVisible();
  await expectNothingInjected(page, dialogs);

  await page.locator('tr[data-log-id="hostile-1"]').getByRole("link", { name: "Details of log hostile-1" }).click();
  await expect(page).toHaveURL(/\/logs\/hostile-1$/);
  await expect(page.getByRole("heading", { name: `${FIRST.action} by ${FIRST.user}` })).toBeVisible();
  for (const text of [FIRST.source, FIRST.message]) await expect(page.getByText(text, { exact: true })).toBeVisible();
  for (const [name, value] of Object.entries(FIRST.metadata)) {
    await expect(page.locator("dt").getByText(name, { exact: true })).toBeVisible();
    await expect(page.locator("dd").getByText(JSON.stringify(value), { exact: true })).toBeVisible();
  }
  await expectNothingInjected(page, dialogs);

  await page.goto("/logs/hostile-2");
  await expect(page.getByRole("heading", { name: `${SECOND.action} by ${SECOND.user}` })).toBeVisible();
  for (const text of [SECOND.source, SECOND.message]) await expect(page.getByText(text, { exact: true })).toBeVisible();
  await expectNothingInjected(page, dialogs);
});
