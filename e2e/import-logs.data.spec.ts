import { expect, test } from "@playwright/test";
import { closeMongoClient } from "@/lib/platform/db/client";
import { flaskCsv, FLASK_KEY, makeFlaskRow } from "../tests/integration/support/flask-csv";
import { ADMIN, ensureTestUsers, signIn } from "./support/auth";

test.beforeAll(ensureTestUsers);
test.afterAll(closeMongoClient);

test("an admin uploads the original project's CSV, reads the report, and sees a log's legacy verdict", async ({
  page,
  baseURL,
}) => {
  const hostile = "<img src=x onerror=alert(1)>";
  const verified = makeFlaskRow({ user: hostile, timestamp: "2024-03-13T09:15:27.123456" });
  const csv = flaskCsv([verified, makeFlaskRow({ log_id: "" }), makeFlaskRow({}, "not-the-key")]);

  await signIn(page, ADMIN, baseURL!);
  await page.goto("/settings");
  await page
    .getByLabel("File")
    .setInputFiles({ name: "flask-export.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByLabel("Legacy key").fill(FLASK_KEY);
  await page.getByRole("button", { name: "Import" }).click();

  const report = page.getByTestId("import-report");
  await expect(report).toContainText(
    "Imported 2 logs, 0 already there, 1 refused (legacy hashes: 1 verified, 1 mismatched, 1 not checkable).",
  );
  await expect(report.getByRole("row", { name: /line 4 log_hash does not match/ })).toBeVisible();

  await page.goto(`/logs/${verified.log_id}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    `${verified.action.replace(" ", "_")} by ${hostile}`,
  );
  await expect(page.locator("img[src=x]")).toHaveCount(0);
  await expect(page.getByText("verified at import: the original project's log_hash matched")).toBeVisible();
});
