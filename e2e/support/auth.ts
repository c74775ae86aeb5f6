import { expect, type Page } from "@playwright/test";
import type { Role } from "@/lib/records/auth/user-schemas";
import { createUser, DuplicateUserError } from "@/lib/records/auth/users";
import { getDb } from "@/lib/platform/db/client";

export type TestUser = { email: string; password: string; role: Role };

export const ADMIN: TestUser = { email: "admin@e2e.example", password: "correct horse battery staple", role: "admin" };
export const VIEWER: TestUser = { email: "viewer@e2e.example", password: "tr0ub4dor & three", role: "viewer" };
export const ANALYST: TestUser = { email: "analyst@e2e.example", password: "analyst on call 42", role: "analyst" };

/** Creates the e2e accounts once; later calls find them there. */
export async function ensureTestUsers(): Promise<void> {
  const db = await getDb();
  for (const user of [ADMIN, VIEWER, ANALYST]) {
    try {
      await createUser(db, { email: user.email, role: user.role }, user.password, { user: "e2e" });
    } catch (error) {
      if (!(error instanceof DuplicateUserError)) throw error;
    }
  }
}

/** Signs the page's browser context in through the API, as the sign-in form does. */
export async function signIn(page: Page, user: TestUser, baseURL: string): Promise<void> {
  const response = await page.request.post("/api/auth/login", {
    data: { email: user.email, password: user.password },
    headers: { origin: new URL(baseURL).origin },
  });
  expect(response.status()).toBe(200);
}
