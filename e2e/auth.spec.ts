import { expect, test } from "@playwright/test";
import { closeMongoClient } from "@/lib/platform/db/client";
import { ADMIN, ensureTestUsers, VIEWER } from "./support/auth";

test.beforeAll(ensureTestUsers);
test.afterAll(closeMongoClient);

test("a signed-out visit goes to sign-in and comes back to the page asked for", async ({ page }) => {
  await page.goto("/dashboard?range=24h");
  await expect(page).toHaveURL(/\/login\?next=%2Fdashboard%3Frange%3D24h$/);
  await page.getByLabel("Email").fill(VIEWER.email);
  await page.getByLabel("Password").fill(VIEWER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard\?range=24h$/);
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
});

test("a sign-in link whose next points off the site ends on the logs page, not elsewhere", async ({
  page,
  baseURL,
}) => {
  // A tab, CR or LF is dropped by browsers ("/\t/x" becomes "//x"); "\" counts as "/"; ".." climbs back to "//x".
  for (const next of [
    "/%09/evil.example",
    "/%0D%0A/evil.example",
    "/%5C/evil.example",
    "/x/..%5C%5Cevil.example",
    "https://evil.example/",
  ]) {
    await page.context().clearCookies();
    await page.goto(`/login?next=${next}`);
    await page.getByLabel("Email").fill(VIEWER.email);
    await page.getByLabel("Password").fill(VIEWER.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(`${new URL(baseURL!).origin}/logs`);
  }
});

test("a wrong password is refused with a message and no session", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("not the password at all");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "The email or password is incorrect." })).toBeVisible();
  await page.goto("/logs");
  await expect(page).toHaveURL(/\/login\?next=%2Flogs$/);
});

test("signing out ends the session", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(VIEWER.email);
  await page.getByLabel("Password").fill(VIEWER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/logs$/);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/login\?next=%2Fsettings$/);
});

test("pages carry the security headers and APIs refuse signed-out callers @api", async ({ request }) => {
  const page = await request.get("/login");
  const headers = page.headers();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["strict-transport-security"]).toBeUndefined(); // plain HTTP here

  for (const path of ["/api/keys", "/api/users"]) {
    const response = await request.get(path);
    expect(response.status()).toBe(401);
    expect((await response.json()).error.code).toBe("unauthorized");
  }
  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);
  // API answers get theirs from next.config.ts: the proxy does not run for API paths.
  expect(health.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(health.headers()["x-content-type-options"]).toBe("nosniff");
  expect(health.headers()["x-frame-options"]).toBe("DENY");
});

test("a forged x-middleware-subrequest header opens nothing @api", async ({ request }) => {
  const bypass = {
    "x-middleware-subrequest": "proxy:proxy:proxy:proxy:proxy:middleware:middleware:middleware:middleware:middleware",
  };
  const page = await request.get("/settings", { headers: bypass, maxRedirects: 0 });
  expect(page.status()).toBe(307);
  expect(page.headers()["location"]).toContain("/login?next=%2Fsettings");
  const api = await request.get("/api/keys", { headers: bypass });
  expect(api.status()).toBe(401);
});

test("every page and API refuses a signed-out visitor @api", async ({ request }) => {
  for (const path of ["/", "/logs", "/dashboard", "/anomalies", "/integrity", "/settings"]) {
    // As a browser asks: GET / without text/html is a log shipper's version probe (docs/shippers.md).
    const response = await request.get(path, { maxRedirects: 0, headers: { accept: "text/html" } });
    expect(response.status(), path).toBe(307);
    expect(response.headers()["location"], path).toMatch(/\/login(\?next=|$)/);
  }
  const apis: [string, string][] = [
    ["GET", "/api/keys"],
    ["POST", "/api/keys"],
    ["DELETE", "/api/keys/some-id"],
    ["GET", "/api/users"],
    ["POST", "/api/users"],
    ["POST", "/api/users/some-id/disable"],
    ["POST", "/api/logs"],
    ["GET", "/api/integrity"],
    ["POST", "/api/integrity/verify"],
    ["GET", "/api/alerts"],
    ["POST", "/api/alerts/some-id/status"],
    ["GET", "/"],
    ["POST", "/_bulk"],
    ["POST", "/auth/_bulk"],
    ["GET", "/_cat/health"],
  ];
  for (const [method, path] of apis) {
    const response = await request.fetch(path, { method, data: {} });
    expect(response.status(), `${method} ${path}`).toBe(401);
  }
});
