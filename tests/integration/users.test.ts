// Users against the real server: unique emails enforced by the insert itself,
// credentials checked without telling which check failed.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  countUsers,
  createUser,
  disableUser,
  DuplicateUserError,
  findUserByEmail,
  getUserById,
  listUsers,
  resetPassword,
  verifyCredentials,
} from "@/lib/records/auth/users";
import type { Actor } from "@/lib/records/audit/security-events";
import { COLLECTIONS } from "@/lib/platform/db/collections";
import { ensureIndexes } from "@/lib/platform/db/indexes";
import { setupTestDatabase } from "./support/test-db";

const test = setupTestDatabase("users");
const PASSWORD = "a long enough passphrase";
const ADMIN: Actor = { user: "admin@example.com", ip: "192.0.2.10" };

let counter = 0;
function makeEmail(label = "user"): string {
  counter += 1;
  return `${label}${counter}@example.com`;
}

describe("users", () => {
  before(async () => {
    await ensureIndexes(test.db);
  });

  it("creates a user with a normalised email and a default name, and never returns the hash", async () => {
    const user = await createUser(test.db, { email: "  Alice.Smith@Example.COM ", role: "admin" }, PASSWORD, ADMIN);
    assert.equal(user.email, "alice.smith@example.com");
    assert.equal(user.name, "alice.smith");
    assert.equal(user.role, "admin");
    assert.equal(user.disabled_at, null);
    assert.match(user.id, /^[a-f0-9]{32}$/);
    assert.equal("password_hash" in user, false);

    const stored = await test.db.collection(COLLECTIONS.users).findOne({ _id: user.id as never });
    assert.match(String(stored?.password_hash), /^scrypt\$32768\$8\$1\$/);
    assert.ok(!String(stored?.password_hash).includes(PASSWORD));
  });

  it("refuses a second account for the same email in any case, even when both are created at once", async () => {
    const email = makeEmail("dup");
    await createUser(test.db, { email, role: "viewer" }, PASSWORD, ADMIN);
    await assert.rejects(
      createUser(test.db, { email: email.toUpperCase(), role: "admin" }, PASSWORD, ADMIN),
      DuplicateUserError,
    );

    const racing = makeEmail("race");
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => createUser(test.db, { email: racing, role: "viewer" }, PASSWORD, ADMIN)),
    );
    assert.equal(results.filter((result) => result.status === "fulfilled").length, 1);
    for (const result of results.filter((result) => result.status === "rejected")) {
      assert.ok(result.reason instanceof DuplicateUserError, String(result.reason));
    }
    assert.equal(await test.db.collection(COLLECTIONS.users).countDocuments({ email: racing }), 1);
  });

  it("refuses a password that breaks the policy", async () => {
    await assert.rejects(
      createUser(test.db, { email: makeEmail(), role: "viewer" }, "short", ADMIN),
      /at least 12 characters/,
    );
  });

  it("finds a user by email (any case) and by id, lists users oldest first and counts them", async () => {
    const email = makeEmail("find");
    const created = await createUser(test.db, { email, name: "Finder", role: "viewer" }, PASSWORD, ADMIN);
    assert.deepEqual(await findUserByEmail(test.db, email.toUpperCase()), created);
    assert.deepEqual(await getUserById(test.db, created.id), created);
    assert.equal(await findUserByEmail(test.db, "nobody@example.com"), null);
    assert.equal(await findUserByEmail(test.db, "not an email"), null);
    assert.equal(await getUserById(test.db, "0".repeat(32)), null);

    const listed = await listUsers(test.db);
    assert.equal(listed.length, await countUsers(test.db));
    assert.deepEqual(listed.at(-1), created);
    assert.ok(listed.every((user) => !("password_hash" in user)));
    const times = listed.map((user) => user.created_at.getTime());
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
  });

  it("verifies credentials: the right password passes; a wrong one, an unknown or a disabled account give null", async () => {
    const email = makeEmail("login");
    const created = await createUser(test.db, { email, role: "viewer" }, PASSWORD, ADMIN);
    assert.deepEqual(await verifyCredentials(test.db, ` ${email.toUpperCase()} `, PASSWORD), created);
    assert.equal(await verifyCredentials(test.db, email, `${PASSWORD}!`), null);
    assert.equal(await verifyCredentials(test.db, "unknown@example.com", PASSWORD), null);
    assert.equal(await verifyCredentials(test.db, "not an email", PASSWORD), null);
    await disableUser(test.db, email, ADMIN);
    assert.equal(await verifyCredentials(test.db, email, PASSWORD), null);
  });

  it("takes about as long for an unknown account as for a wrong password", async () => {
    const email = makeEmail("timing");
    await createUser(test.db, { email, role: "viewer" }, PASSWORD, ADMIN);
    // Interleaved, so that a shared machine's load drifting during the test weighs on both alike.
    const times = { wrong: [] as number[], unknown: [] as number[] };
    const timed = async (into: number[], check: () => Promise<unknown>) => {
      const start = performance.now();
      await check();
      into.push(performance.now() - start);
    };
    for (let round = 0; round < 9; round++) {
      await timed(times.wrong, () => verifyCredentials(test.db, email, "wrong password!"));
      await timed(times.unknown, () => verifyCredentials(test.db, "ghost@example.com", "wrong password!"));
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[4]!;
    const wrongPassword = median(times.wrong);
    const unknownAccount = median(times.unknown);
    // Both pay one scrypt (tens of milliseconds); a skipped check would be a few milliseconds.
    assert.ok(unknownAccount > wrongPassword * 0.5, `unknown ${unknownAccount} ms, wrong ${wrongPassword} ms`);
    assert.ok(unknownAccount < wrongPassword * 2, `unknown ${unknownAccount} ms, wrong ${wrongPassword} ms`);
  });

  it("disables an account once: a second call keeps the first date; an unknown email gives null", async () => {
    const email = makeEmail("disable");
    await createUser(test.db, { email, role: "admin" }, PASSWORD, ADMIN);
    const first = await disableUser(test.db, email, ADMIN);
    assert.ok(first?.disabled_at instanceof Date);
    const second = await disableUser(test.db, email.toUpperCase(), ADMIN);
    assert.deepEqual(second?.disabled_at, first.disabled_at);
    assert.deepEqual((await findUserByEmail(test.db, email))?.disabled_at, first.disabled_at);
    assert.equal(await disableUser(test.db, "nobody@example.com", ADMIN), null);
  });

  it("resets a password: the old one stops working, the new one works, and the change is dated", async () => {
    const email = makeEmail("reset");
    const created = await createUser(test.db, { email, role: "viewer" }, PASSWORD, ADMIN);
    const newPassword = "another long passphrase";
    const reset = await resetPassword(test.db, email, newPassword, ADMIN);
    assert.ok(reset && reset.password_changed_at > created.password_changed_at);
    assert.equal("password_hash" in reset, false);
    assert.equal(await verifyCredentials(test.db, email, PASSWORD), null);
    assert.equal((await verifyCredentials(test.db, email, newPassword))?.id, created.id);
    assert.equal(await resetPassword(test.db, "nobody@example.com", newPassword, ADMIN), null);
    await assert.rejects(resetPassword(test.db, email, " ".repeat(20), ADMIN), /only whitespace/);
  });

  it("records each change with who made it in the signed log, never the password or its hash", async () => {
    const email = makeEmail("audited");
    const created = await createUser(test.db, { email, role: "viewer" }, PASSWORD, ADMIN);
    await resetPassword(test.db, email, "the next passphrase", ADMIN);
    await disableUser(test.db, email, ADMIN);
    await disableUser(test.db, email, ADMIN);
    const events = await test.db
      .collection(COLLECTIONS.logs)
      .find({ source: "ledgerline", "metadata.user_id": created.id })
      .sort({ sequence: 1 })
      .toArray();
    assert.deepEqual(
      events.map((event) => [event.action, event.status, event.user, event.ip]),
      [
        ["user_created", "success", ADMIN.user, ADMIN.ip],
        ["user_password_reset", "success", ADMIN.user, ADMIN.ip],
        ["user_disabled", "success", ADMIN.user, ADMIN.ip],
      ],
    );
    const text = JSON.stringify(events);
    assert.ok(!text.includes(PASSWORD) && !text.includes("the next passphrase") && !text.includes("scrypt$"));
  });
});
