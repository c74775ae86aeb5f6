import { expect, test } from "@playwright/test";
import { closeMongoClient } from "@/lib/platform/db/client";
import { ADMIN, ensureTestUsers, signIn, VIEWER } from "./support/auth";

test.beforeAll(ensureTestUsers);
test.afterAll(closeMongoClient);

test("an admin creates an API key bound to a source, a service uses it, its logs show who stored them, and once revoked it is refused", async ({
  page,
  baseURL,
  request,
}) => {
  await signIn(page, ADMIN, baseURL!);
  await page.goto("/settings");
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();

  const name = `shipper-${Date.now()}`;
  const source = `${name}-api`;
  await page.getByLabel("Key name").fill(name);
  await page.getByLabel("Only these sources").fill(source);
  await page.getByLabel("Reserved log_id prefixes").fill(`${name}-`);
  await page.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByTestId("new-api-key").textContent())!;
  expect(key).toMatch(/^llk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
  const keyRow = page.getByRole("row").filter({ has: page.getByRole("button", { name: `Revoke ${name}` }) });
  await expect(keyRow.getByRole("cell", { name: source, exact: true })).toBeVisible();
  await expect(keyRow.getByRole("cell", { name: `${name}-`, exact: true })).toBeVisible();

  const log = { ip: "10.0.0.5", user: "carol", action: "login", status: "success" };
  const accepted = await request.post("/api/logs", {
    headers: { authorization: `Bearer ${key}` },
    data: { ...log, log_id: `${name}-1` },
  });
  expect(accepted.status()).toBe(201);
  const otherSource = await request.post("/api/logs", {
    headers: { authorization: `Bearer ${key}` },
    data: { ...log, source: "billing" },
  });
  expect(otherSource.status()).toBe(403);

  await page.goto(`/logs?source=${encodeURIComponent(source)}`);
  const row = page.locator(`tr[data-log-id="${name}-1"]`);
  await expect(row).toContainText(`API key "${name}"`);
  await row.getByRole("link", { name: `API key "${name}"` }).click();
  await expect(page).toHaveURL(/ingested_by=key%3A[0-9a-f]{16}/);
  await expect(page.locator("tr[data-log-id]")).toHaveCount(1);
  await page.goto("/settings");

  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: `Revoke ${name}` }).click();
  await expect(page.getByRole("button", { name: `Revoke ${name}` })).toHaveCount(0);

  const refused = await request.post("/api/logs", { headers: { authorization: `Bearer ${key}` }, data: log });
  expect(refused.status()).toBe(401);
});

test("a viewer sees only their own two-factor sign-in in settings, and cannot use the admin APIs", async ({
  page,
  baseURL,
}) => {
  await signIn(page, VIEWER, baseURL!);
  await page.goto("/settings");
  await expect(page.getByRole("heading", { name: "Administrators only" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Two-factor sign-in" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "API keys" })).toHaveCount(0);
  const response = await page.request.post("/api/keys", {
    data: { name: "sneaky", scopes: ["ingest"] },
    headers: { origin: new URL(baseURL!).origin },
  });
  expect(response.status()).toBe(403);
});
