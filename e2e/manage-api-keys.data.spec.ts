import { expect, test } from "@playwright/test";
import { closeMongoClient } from "@/lib/db/client";
import { ADMIN, ensureTestUsers, signIn, VIEWER } from "./support/auth";

test.beforeAll(ensureTestUsers);
test.afterAll(closeMongoClient);

test("an admin creates an API key, a service uses it, and once revoked it is refused", async ({ page, baseURL, request }) => {
  await signIn(page, ADMIN, baseURL!);
  await page.goto("/settings");
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();

  const name = `shipper-${Date.now()}`;
  await page.getByLabel("Key name").fill(name);
  await page.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByTestId("new-api-key").textContent())!;
  expect(key).toMatch(/^llk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
  await expect(page.getByRole("cell", { name: new RegExp(`^${name}`) })).toBeVisible();

  const log = { ip: "10.0.0.5", user: "carol", action: "login", status: "success" };
  const accepted = await request.post("/api/logs", { headers: { authorization: `Bearer ${key}` }, data: log });
  expect(accepted.status()).toBe(201);

  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: `Revoke ${name}` }).click();
  await expect(page.getByRole("button", { name: `Revoke ${name}` })).toHaveCount(0);

  const refused = await request.post("/api/logs", { headers: { authorization: `Bearer ${key}` }, data: log });
  expect(refused.status()).toBe(401);
});

test("a viewer cannot reach settings or the admin APIs", async ({ page, baseURL }) => {
  await signIn(page, VIEWER, baseURL!);
  await page.goto("/settings");
  await expect(page.getByRole("heading", { name: "Administrators only" })).toBeVisible();
  const response = await page.request.post("/api/keys", {
    data: { name: "sneaky", scopes: ["ingest"] },
    headers: { origin: new URL(baseURL!).origin },
  });
  expect(response.status()).toBe(403);
});
