import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { closeMongoClient } from "@/lib/platform/db/client";
import { publicKeySetFromJson } from "@/lib/records/integrity/checkpoint-keys";
import { verifyExport } from "@/lib/records/integrity/verify-export";
import { ADMIN, ensureTestUsers, signIn, VIEWER } from "./support/auth";

test.beforeAll(ensureTestUsers);
test.afterAll(closeMongoClient);

test("an admin verifies the stored logs from the integrity page and sees the result", async ({ page, baseURL }) => {
  await signIn(page, ADMIN, baseURL!);
  await page.goto("/integrity");
  await page.getByRole("button", { name: "Verify now" }).click();
  await expect(page.getByText("✓ No problems found")).toBeVisible();
  await expect(page.getByText(/logs checked, \d+ valid/)).toContainText(`run by ${ADMIN.email}`);
});

test("a viewer sees the last result but cannot start a verification", async ({ page, baseURL }) => {
  await signIn(page, VIEWER, baseURL!);
  await page.goto("/integrity");
  await expect(page.getByRole("heading", { name: "Last verification" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Verify now" })).toHaveCount(0);
  const response = await page.request.post("/api/integrity/verify", {
    data: {},
    headers: { origin: new URL(baseURL!).origin },
  });
  expect(response.status()).toBe(403);
});

test("a viewer downloads the verifiable export and the public keys, and the export verifies offline", async ({
  page,
  baseURL,
}) => {
  await signIn(page, VIEWER, baseURL!);
  await page.goto("/integrity");
  const download = async (name: string) => {
    const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name }).click()]);
    return readFileSync((await file.path())!, "utf8");
  };
  const exported = await download("Verifiable export (NDJSON)");
  const keys = JSON.parse(await download("Public keys (JSON)"));
  const lines = exported.trimEnd().split("\n");
  expect(JSON.parse(lines[0]!).type).toBe("export");
  const report = await verifyExport(lines, { publicKeys: publicKeySetFromJson(keys), keyring: null });
  expect(report.problems).toEqual([]);
  expect(report.checked).toBeGreaterThan(0);
});
