import { gzipSync } from "node:zlib";
import { expect, test } from "@playwright/test";
import { createApiKey } from "@/lib/records/auth/api-keys";
import { closeMongoClient, getDb } from "@/lib/platform/db/client";
import { ensureTestUsers, signIn, VIEWER } from "./support/auth";

let basic: string;

test.beforeAll(async () => {
  await ensureTestUsers();
  const { key } = await createApiKey(
    await getDb(),
    { name: `e2e-bulk-${Date.now()}`, scopes: ["ingest"] },
    { user: "e2e" },
  );
  basic = `Basic ${Buffer.from(`rsyslog:${key}`).toString("base64")}`;
});

test.afterAll(async () => {
  await closeMongoClient();
});

const event = (user: string) => ({
  "@timestamp": "2026-01-02T10:00:00Z",
  source: { ip: "203.0.113.7" },
  user: { name: user },
  event: { action: "login", outcome: "failure" },
  service: { name: "e2e-shipper" },
});
// A Buffer: Playwright sends a string as a JSON string when the type is application/json.
const ndjson = (...lines: unknown[]) => Buffer.from(lines.map((line) => JSON.stringify(line)).join("\n") + "\n");

test("a shipper sends to /_bulk and /<index>/_bulk of the real server, gzip too, and its logs reach the explorer @api", async ({
  request,
  page,
  baseURL,
}) => {
  const headers = { authorization: basic, "content-type": "application/json; charset=utf-8" };
  const plain = await request.post("/_bulk", {
    headers,
    data: ndjson({ index: { _id: "e2e-bulk-1" } }, event("bulk-alice"), { delete: { _id: "e2e-bulk-1" } }),
  });
  expect(plain.status(), await plain.text()).toBe(200);
  expect(plain.headers()["x-elastic-product"]).toBe("Elasticsearch");
  const answer = await plain.json();
  expect(answer.items.map((item: Record<string, { status: number }>) => Object.values(item)[0]!.status)).toEqual([
    201, 400,
  ]);

  const gzipped = await request.post("/auth/_bulk", {
    headers: { ...headers, "content-encoding": "gzip" },
    data: gzipSync(ndjson({ create: { _id: "e2e-bulk-2" } }, event("bulk-bob"))),
  });
  expect(gzipped.status()).toBe(200);
  expect((await gzipped.json()).items).toEqual([
    { create: { _index: "auth", _id: "e2e-bulk-2", status: 201, result: "created" } },
  ]);

  const again = await request.post("/_bulk", {
    headers,
    data: ndjson({ index: { _id: "e2e-bulk-1" } }, event("bulk-alice")),
  });
  expect((await again.json()).items[0].index).toMatchObject({ status: 200, result: "noop" });

  await signIn(page, VIEWER, baseURL!);
  await page.goto("/logs?from=2026-01-02T00:00:00Z&to=2026-01-03T00:00:00Z&source=e2e-shipper");
  await expect(page.locator("tr[data-log-id]")).toHaveCount(2);
});

test("GET / tells a shipper the version, while a browser at / gets the app and the app's pages are not taken by /<index> @api", async ({
  request,
  page,
  baseURL,
}) => {
  const version = await request.get("/", { headers: { authorization: basic, accept: "application/json" } });
  expect(version.status()).toBe(200);
  expect((await version.json()).tagline).toBe("You Know, for Search");
  expect((await request.get("/", { headers: { accept: "*/*" } })).status()).toBe(401);
  expect((await request.head("/_cat/health", { headers: { authorization: basic } })).status()).toBe(200);

  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
  await signIn(page, VIEWER, baseURL!);
  for (const path of ["/", "/logs", "/dashboard"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  }
  expect((await page.goto("/no-such-page"))?.status()).toBe(404);
});
