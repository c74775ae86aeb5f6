import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { createUser } from "@/lib/records/auth/users";
import { closeMongoClient, getDb } from "@/lib/platform/db/client";
import { awayFromStepEnd, totpCode } from "@/tests/integration/support/totp";

test.afterAll(closeMongoClient);

const PASSWORD = "two factors are better";

async function newViewer(): Promise<string> {
  const email = `mfa-${randomBytes(4).toString("hex")}@e2e.example`;
  await createUser(await getDb(), { email, role: "viewer" }, PASSWORD, { user: "e2e" });
  return email;
}

/** Waits for the sign-out to finish: a navigation started before it would cancel its request and keep the session. */
async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
}

async function signInWithPassword(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Turns two-factor sign-in on in Settings as a person would: reads the secret shown as text and types the app's code. */
async function enrolInSettings(page: Page): Promise<{ secret: string; recoveryCode: string }> {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  await expect(page.getByRole("img", { name: "QR code to scan with your authenticator app" })).toBeVisible();
  const secret = (await page.getByTestId("totp-secret").textContent())!.replaceAll(" ", "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await awayFromStepEnd();
  await page.getByLabel("Code from the app").fill(totpCode(secret));
  await page.getByRole("button", { name: "Turn on" }).click();
  const codes = page.getByTestId("recovery-codes").getByRole("listitem");
  await expect(codes).toHaveCount(10);
  const recoveryCode = (await codes.first().textContent())!;
  await page.getByRole("button", { name: "I have saved them" }).click();
  await expect(page.getByText("10 of 10 recovery codes left.")).toBeVisible();
  await signOut(page);
  return { secret, recoveryCode };
}

test("a user turns on two-factor sign-in in Settings, then signs in with a code and with a recovery code", async ({
  page,
}) => {
  const email = await newViewer();
  await signInWithPassword(page, email);
  await expect(page).toHaveURL(/\/logs$/);
  const { secret, recoveryCode } = await enrolInSettings(page);

  await signInWithPassword(page, email);
  await expect(page.getByLabel("Authentication code")).toBeFocused();
  await page.getByLabel("Authentication code").fill(totpCode(secret, 1));
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/logs$/);

  await signOut(page);
  await signInWithPassword(page, email);
  await page.getByLabel("Authentication code").fill(recoveryCode);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/logs$/);
  await page.goto("/settings");
  await expect(page.getByText("9 of 10 recovery codes left.")).toBeVisible();
});

test("a wrong code is refused with a message and no session", async ({ page }) => {
  const email = await newViewer();
  await signInWithPassword(page, email);
  const { secret } = await enrolInSettings(page);

  await signInWithPassword(page, email);
  const wrong = String((Number(totpCode(secret)) + 500_000) % 1_000_000).padStart(6, "0");
  await page.getByLabel("Authentication code").fill(wrong);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "The code is not right" })).toBeVisible();
  await page.goto("/logs");
  await expect(page).toHaveURL(/\/login\?next=%2Flogs$/);
});
