import { expect, test } from "@playwright/test";
import { closeMongoClient } from "@/lib/platform/db/client";
import { ensureTestUsers, signIn, VIEWER } from "./support/auth";

test.beforeAll(ensureTestUsers);
test.afterAll(closeMongoClient);
test.beforeEach(async ({ page, baseURL }) => signIn(page, VIEWER, baseURL!));

test("opens on the logs page with navigation and the empty state", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/logs$/);
  await expect(page.getByRole("heading", { level: 1, name: "Logs" })).toBeVisible();

  const nav = page.getByRole("navigation", { name: "Main" });
  for (const label of ["Logs", "Dashboard", "Anomalies", "Integrity", "Settings"]) {
    await expect(nav.getByRole("link", { name: label })).toBeVisible();
  }
  await expect(nav.getByRole("link", { name: "Logs" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("heading", { name: "No logs yet" })).toBeVisible();
});

test("navigates between sections and marks the current one", async ({ page }) => {
  await page.goto("/logs");
  const nav = page.getByRole("navigation", { name: "Main" });
  const emptyHeading = { Dashboard: "No logs yet", Anomalies: "No logs yet", Integrity: "Last verification" };
  for (const [label, heading] of Object.entries(emptyHeading)) {
    await nav.getByRole("link", { name: label }).click();
    await expect(page.getByRole("heading", { level: 1, name: label })).toBeVisible();
    await expect(nav.getByRole("link", { name: label })).toHaveAttribute("aria-current", "page");
    await expect(page.getByRole("heading", { name: heading })).toBeVisible();
    await expect(page).toHaveTitle(`${label} · Ledgerline`);
  }
});

test("shows a 404 page with a way back for unknown addresses", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await page.getByRole("link", { name: "Go to the logs" }).click();
  await expect(page).toHaveURL(/\/logs$/);
});
