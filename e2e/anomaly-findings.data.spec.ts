import { expect, test } from "@playwright/test";
import { FINDING_TYPE_LABELS } from "@/components/anomalies/labels";
import { closeMongoClient, getDb } from "@/lib/platform/db/client";
import type { InjectedAnomaly } from "@/lib/features/generators/anomalies";
import { checkpointSeededLogs, injectAnomalies } from "@/lib/features/generators/seed";
import { ensureTestUsers, signIn, VIEWER } from "./support/auth";

let injected: InjectedAnomaly[];

test.beforeAll(async () => {
  await ensureTestUsers();
  const db = await getDb();
  injected = await injectAnomalies(db);
  await checkpointSeededLogs(db);
});

test.afterAll(closeMongoClient);

test("nothing runs until asked; then progress shows, the findings follow, and the address runs it again", async ({
  page,
  baseURL,
}) => {
  await signIn(page, VIEWER, baseURL!);
  const streams: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("/api/anomalies")) streams.push(request.url());
  });
  // Held back a moment, so the progress state is there to be seen however fast detection is.
  await page.route("**/api/anomalies/stream?**", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await route.continue();
  });

  await page.goto("/anomalies/findings");
  await expect(page.getByRole("heading", { level: 1, name: "Findings over a range" })).toBeVisible();
  await expect(page.getByText("Nothing has run yet")).toBeVisible();
  await page.waitForTimeout(500);
  expect(streams).toEqual([]);

  await page.getByLabel("Range").selectOption("24h");
  await page.getByRole("button", { name: "Find anomalies" }).click();
  const progress = page.getByTestId("findings-progress");
  await expect(progress).toBeVisible();
  await expect(progress).toHaveAttribute("aria-busy", "true");
  await expect(progress).toContainText(/\d+ s elapsed/);
  await expect(page).toHaveURL(/\/anomalies\/findings\?range=24h&run=1$/);

  const results = page.getByRole("region", { name: "Findings", exact: true });
  await expect(results).toContainText(/\d+ findings? in the last 24 hours/, { timeout: 20_000 });
  await expect(progress).toHaveCount(0);
  for (const anomaly of injected) {
    const group = results.getByRole("region", { name: new RegExp(FINDING_TYPE_LABELS[anomaly.type]) });
    await expect(group, anomaly.type).toContainText((anomaly.ip ?? anomaly.user)!);
  }
  expect(streams).toHaveLength(1);
  await page.screenshot({ path: test.info().outputPath("anomaly-findings.png"), fullPage: true });

  // The address holds the run: opening it runs detection again.
  await page.reload();
  await expect(page.getByTestId("findings-progress")).toBeVisible();
  await expect(page.getByRole("region", { name: "Findings", exact: true })).toContainText(
    /\d+ findings? in the last 24 hours/,
    { timeout: 20_000 },
  );
  expect(streams).toHaveLength(2);
});

test("names a bad parameter instead of running", async ({ page, baseURL }) => {
  await signIn(page, VIEWER, baseURL!);
  const response = await page.goto("/anomalies/findings?range=3w&run=1");
  expect(response?.status()).toBe(200);
  const problem = page.getByRole("alert").filter({ hasText: "This address cannot be shown" });
  await expect(problem).toContainText("range must be one of 15m, 1h, 24h, 7d");
});
