// Password hashing through the app with PASSWORD_HASH_CONCURRENCY=2 and
// PASSWORD_HASH_QUEUE=2: sign-ins and new passwords share the two slots, and
// what finds the queue full is refused with 503 without counting as a failure.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { passwordHashingLoad, verifyPassword } from "@/lib/records/auth/passwords";
import { createUser } from "@/lib/records/auth/users";
import { getDb } from "@/lib/platform/db/client";
import { COLLECTIONS } from "@/lib/platform/db/collections";
import { BusyError } from "@/lib/foundation/util/concurrency-limit";
import { setupAppDatabase } from "./support/app-db";
import { postSignIn } from "./support/sign-in";

setupAppDatabase("password_hashing_limit", { PASSWORD_HASH_CONCURRENCY: "2", PASSWORD_HASH_QUEUE: "2" });

const PASSWORD = "the right password";
const ACTOR = { user: "test" };
// Valid parameters, but p=8 makes each check take eight hashes' time: slots stay taken while a request arrives.
const SLOW_HASH = `scrypt$32768$8$8$${"A".repeat(22)}$${"A".repeat(86)}`;
let db: Db;

const signIn = (email: string, password = PASSWORD) => postSignIn({ email, password });

before(async () => {
  db = await getDb();
  for (const name of ["ana", "ben", "cai", "dee"])
    await createUser(db, { email: `${name}@example.com`, role: "viewer" }, PASSWORD, ACTOR);
});

describe("password hashing limit", () => {
  it("never runs more than 2 hashes at once across concurrent sign-ins and a new user", async () => {
    const [created, ...answers] = await Promise.all([
      createUser(db, { email: "eve@example.com", role: "viewer" }, PASSWORD, ACTOR),
      signIn("ana@example.com"),
      signIn("ben@example.com", "a wrong password"),
      signIn("cai@example.com"),
    ]);
    assert.equal(created.email, "eve@example.com");
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [200, 401, 200],
    );
    assert.equal(passwordHashingLoad().peak, 2);
    assert.equal(passwordHashingLoad().running, 0);
  });

  it("answers 503 with Retry-After when both slots and the queue are taken, counts no failure, and serves again after", async () => {
    // A queued holder may itself be refused on a very slow machine, after waiting 5 s.
    const holders = Array.from({ length: 4 }, () =>
      verifyPassword("anything", SLOW_HASH).catch((error: unknown) => {
        if (!(error instanceof BusyError)) throw error;
      }),
    );
    assert.deepEqual(passwordHashingLoad(), { running: 2, waiting: 2, peak: 2 });

    const busy = await signIn("dee@example.com");
    assert.equal(busy.status, 503);
    assert.equal(busy.body.error.code, "server_busy");
    assert.equal(busy.headers.get("retry-after"), "1");
    await assert.rejects(createUser(db, { email: "fay@example.com", role: "viewer" }, PASSWORD, ACTOR), BusyError);
    const failures = await db
      .collection(COLLECTIONS.rateLimitEvents)
      .countDocuments({ key: "login:user:dee@example.com" });
    assert.equal(failures, 0, "a sign-in whose password was never checked is no failure");

    await Promise.all(holders);
    assert.equal((await signIn("dee@example.com")).status, 200);
  });
});
