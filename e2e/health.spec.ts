import { expect, test } from "@playwright/test";

test("GET /api/health reports the app and database up @api", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(response.headers()["cache-control"]).toBe("no-store");
  expect(await response.json()).toEqual({ status: "ok", db: "up" });
});
