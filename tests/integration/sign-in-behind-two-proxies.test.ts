// POST /api/auth/login behind two trusted proxies (TRUSTED_PROXY_HOPS=2): the
// client is the second X-Forwarded-For entry from the right, and limited there.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { AUDIT_SOURCE } from "@/lib/records/logs/provenance";
import { getDb } from "@/lib/platform/db/client";
import { logsCollection } from "@/lib/records/logs/collection";
import { setupAppDatabase } from "./support/app-db";
import { postSignIn } from "./support/sign-in";

setupAppDatabase("sign_in_behind_two_proxies", {
  TRUST_PROXY_HEADERS: "true",
  TRUSTED_PROXY_HOPS: "2",
  LOGIN_MAX_FAILURES: "2",
});

const INNER_PROXY = "10.0.0.2";
let db: Db;

const signIn = (email: string, forwardedFor: string) =>
  postSignIn({ email, password: "a wrong password" }, { "x-forwarded-for": forwardedFor });

async function recordedIps(email: string): Promise<(string | undefined)[]> {
  const events = await logsCollection(db).find({ source: AUDIT_SOURCE, action: "sign_in", user: email }).toArray();
  return events.map((event) => event.ip);
}

before(async () => {
  db = await getDb();
});

describe("POST /api/auth/login behind two trusted proxies", () => {
  it("records and limits the entry two hops from the right, and an address missing a hop as unknown", async () => {
    assert.equal((await signIn("one@example.com", `10.9.9.9, 203.0.113.40, ${INNER_PROXY}`)).status, 401);
    assert.equal((await signIn("two@example.com", `192.0.2.1, 203.0.113.40, ${INNER_PROXY}`)).status, 401);
    assert.equal((await signIn("three@example.com", `203.0.113.40, ${INNER_PROXY}`)).status, 429);
    assert.deepEqual(await recordedIps("one@example.com"), ["203.0.113.40"]);
    assert.deepEqual(await recordedIps("three@example.com"), ["203.0.113.40"]);

    assert.equal(
      (await signIn("four@example.com", "203.0.113.41")).status,
      401,
      "too short to name a client: no IP limit applies",
    );
    assert.deepEqual(await recordedIps("four@example.com"), [undefined]);
  });
});
