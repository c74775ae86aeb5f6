// POST /api/auth/login with a 3-second window: a lockout ends with its
// window however many attempts arrive during it, and parallel guesses never
// try more passwords than the limit.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { createUser } from "@/lib/records/auth/users";
import { getDb } from "@/lib/platform/db/client";
import { setupAppDatabase } from "./support/app-db";
import { postSignIn } from "./support/sign-in";

const WINDOW_MS = 6_000;
setupAppDatabase("sign_in_lockout", {
  LOGIN_MAX_FAILURES: "3",
  LOGIN_WINDOW_MINUTES: String(WINDOW_MS / 60_000),
  LOGIN_GLOBAL_MAX_FAILURES_PER_MINUTE: "1000",
});

let db: Db;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function makeAccount(email: string) {
  const account = { email, password: "the right password" };
  await createUser(db, { email, role: "viewer" }, account.password, { user: "test" });
  return account;
}

before(async () => {
  db = await getDb();
});

describe("POST /api/auth/login lockout", () => {
  it("ends once the window has passed, though an attempt arrived every 300 ms during it", async () => {
    const account = await makeAccount("knocked@example.com");
    for (let attempt = 1; attempt <= 3; attempt++)
      assert.equal((await postSignIn({ ...account, password: "wrong" })).status, 401);
    const lockedAt = Date.now();
    const refusals: number[] = [];
    let answer = await postSignIn(account);
    while (answer.status === 429 && Date.now() - lockedAt < 5 * WINDOW_MS) {
      refusals.push(Number(answer.headers.get("retry-after")));
      await sleep(300);
      answer = await postSignIn(account);
    }
    assert.equal(answer.status, 200, `still ${answer.status} after ${Date.now() - lockedAt} ms`);
    assert.ok(refusals.length >= 3, `refused ${refusals.length} times while locked`);
    for (const seconds of refusals)
      assert.ok(seconds >= 1 && seconds <= WINDOW_MS / 1000 + 1, `Retry-After ${seconds}`);
    assert.ok(Date.now() - lockedAt < 2 * WINDOW_MS, "unlocked within about one window");
  });

  it("tries at most 3 of 20 parallel guesses, refusing the others with 429, and unlocks after the window", async () => {
    const account = await makeAccount("guessed@example.com");
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, index) => postSignIn({ ...account, password: `guess number ${index}` })),
    );
    const statuses = answers.map((answer) => answer.status);
    assert.ok(
      statuses.every((status) => status === 401 || status === 429),
      statuses.join(),
    );
    assert.ok(statuses.filter((status) => status === 401).length <= 3, statuses.join());
    await sleep(WINDOW_MS + 100);
    assert.equal((await postSignIn(account)).status, 200);
  });
});
