import { expect, test } from "@playwright/test";

test("GET /api/health reports the app and database up @api", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(response.headers()["cache-control"]).toBe("no-store");
  expect(await response.json()).toEqual({ status: "ok", db: "up" });
});

test("API answers are rendered per request and kept out of caches, unless the route says otherwise @api", async ({
  request,
}) => {
  for (const path of ["/api/integrity/public-key", "/api/health"]) {
    const response = await request.get(path);
    expect(response.headers()["cache-control"], path).toBe("no-store");
    expect(response.headers()["x-nextjs-cache"], `${path} was served from Next.js's cache`).toBeUndefined();
  }
  const document = await request.get("/api/openapi.json");
  expect(document.headers()["cache-control"]).toBe("public, max-age=300");
});
