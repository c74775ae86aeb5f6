import { expect, test } from "@playwright/test";
import { closeMongoClient } from "@/lib/platform/db/client";
import { ADMIN, ensureTestUsers, signIn } from "./support/auth";

test.beforeAll(ensureTestUsers);
test.afterAll(closeMongoClient);

test("an admin adds an analyst, who can then sign in with that role", async ({ page, baseURL }) => {
  await signIn(page, ADMIN, baseURL!);
  await page.goto("/settings");
  const email = `analyst-${Date.now()}@e2e.example`;
  const users = page.getByRole("region", { name: "Users" });
  await users.getByLabel("Email").fill(email);
  await users.getByLabel("Role").selectOption("analyst");
  await users.getByLabel("Password").fill("a fresh analyst password");
  await users.getByRole("button", { name: "Add user" }).click();
  await expect(users.getByRole("status")).toContainText(`Created ${email}`);
  await expect(users.getByRole("row", { name: new RegExp(email) })).toContainText("analyst");

  await page.context().clearCookies();
  const answer = await page.request.post("/api/auth/login", {
    data: { email, password: "a fresh analyst password" },
    headers: { origin: new URL(baseURL!).origin },
  });
  expect((await answer.json()).user.role).toBe("analyst");
});
