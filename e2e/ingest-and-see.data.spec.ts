import { expect, test } from "@playwright/test";
import { createApiKey } from "@/lib/records/auth/api-keys";
import { closeMongoClient, getDb } from "@/lib/platform/db/client";
import { ensureTestUsers, signIn, VIEWER } from "./support/auth";

let key: string;

test.beforeAll(async () => {
  await ensureTestUsers();
  ({ key } = await createApiKey(await getDb(), { name: `e2e-${Date.now()}`, scopes: ["ingest"] }, { user: "e2e" }));
});

test.afterAll(async () => {
  await closeMongoClient();
});

test("a service posts logs over HTTP and the explorer stops showing the empty state", async ({
  request,
  page,
  baseURL,
}) => {
  const unauthenticated = await request.post("/api/logs", {
    data: { ip: "10.0.0.1", user: "a", action: "login", status: "success" },
  });
  expect(unauthenticated.status()).toBe(401);

  const ndjson = [
    {
      log_id: "e2e-1",
      timestamp: "2026-01-01T10:00:00Z",
      ip: "10.0.0.1",
      user: "alice",
      action: "login",
      status: "success",
    },
    {
      log_id: "e2e-2",
      timestamp: "2026-01-01T10:01:00Z",
      ip: "203.0.113.9",
      user: "bob",
      action: "login",
      status: "fail",
    },
  ]
    .map((log) => JSON.stringify(log))
    .join("\n");
  const headers = { authorization: `Bearer ${key}`, "content-type": "application/x-ndjson" };
  const created = await request.post("/api/logs", { headers, data: ndjson });
  expect(created.status()).toBe(201);
  expect(await created.json()).toEqual({ accepted: 2, duplicates: 0, ids: ["e2e-1", "e2e-2"] });

  const retried = await request.post("/api/logs", { headers, data: ndjson });
  expect(retried.status()).toBe(200);
  expect((await retried.json()).duplicates).toBe(2);

  await signIn(page, VIEWER, baseURL!);
  await page.goto("/logs?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z");
  await expect(page.getByRole("heading", { name: "No logs yet" })).toHaveCount(0);
  await expect(page.locator("tr[data-log-id]")).toHaveCount(2);
  await expect(page.locator('tr[data-log-id="e2e-2"]')).toContainText("failed");
});

test("the real server refuses an oversized body with 413 before storing anything", async ({ request }) => {
  const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
  const huge = JSON.stringify([
    { ip: "10.0.0.1", user: "a", action: "b", status: "success", message: "x".repeat(2 * 1024 * 1024) },
  ]);
  const response = await request.post("/api/logs", { headers, data: huge });
  expect(response.status()).toBe(413);
  expect((await response.json()).error.code).toBe("payload_too_large");
});
