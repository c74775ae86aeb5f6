// A signed log read back from the real server still verifies: the canonical
// encoding survives BSON (int32 vs double, -0 stored as 0, Dates, unicode, undefined
// stored as null), and an edit made directly in the database is caught.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { UpdateFilter } from "mongodb";
import type { SignedLogFields } from "@/lib/records/integrity/canonical";
import { generateKeySpec, parseKeyring } from "@/lib/records/integrity/keyring";
import { signLog, verifyLogMac } from "@/lib/records/integrity/mac";
import { setupTestDatabase } from "./support/test-db";

type StoredLog = SignedLogFields & { _id: string; mac: unknown };

const test = setupTestDatabase("integrity_roundtrip");
const keyring = parseKeyring(generateKeySpec("k1"), undefined);
const logs = () => test.db.collection<StoredLog>("logs");

function makeSignedDoc(logId: string, overrides: Partial<SignedLogFields> = {}): StoredLog {
  const fields = {
    log_id: logId,
    timestamp: "2025-03-04T05:06:07.891+02:00",
    received_at: new Date("2025-03-04T03:06:08.123Z"),
    ip: "2001:db8::1",
    user: "zoë",
    action: "login",
    status: "failed" as const,
    source: "auth-eu-1",
    message: "wrong password — مرحبا 👋",
    metadata: {
      attempts: 3,
      bytes: 3_000_000_000,
      big: 2 ** 53 - 1,
      huge: 1e21,
      ratio: 0.1 + 0.2,
      delta: -42,
      negative_zero: -0,
      mfa: true,
      remembered: false,
      agent: "Mozilla/5.0 e\u0301 עברית 🎉",
    },
    sequence: 123_456,
    ...overrides,
  };
  return { _id: logId, ...fields, ...signLog(fields, keyring) };
}

async function roundTrip(doc: StoredLog) {
  await logs().insertOne(doc);
  return readBack(doc._id);
}

async function readBack(id: string) {
  const stored = await logs().findOne({ _id: id });
  assert.ok(stored, `log ${id} not found`);
  return stored;
}

describe("integrity round trip through the database", () => {
  it("verifies a signed log with integer, large, fractional, negative, boolean and unicode values", async () => {
    const stored = await roundTrip(makeSignedDoc("rt-full"));
    assert.ok(stored.received_at instanceof Date);
    assert.equal(stored.received_at.toISOString(), "2025-03-04T03:06:08.123Z");
    assert.equal(stored.metadata?.bytes, 3_000_000_000);
    assert.equal(verifyLogMac(stored, keyring), "valid");
  });

  it("verifies a log whose optional fields were undefined when inserted", async () => {
    const stored = await roundTrip(
      makeSignedDoc("rt-sparse", { source: undefined, message: undefined, metadata: undefined }),
    );
    assert.equal(verifyLogMac(stored, keyring), "valid");
  });

  it("finds a log edited in the database tampered", async () => {
    const edits: UpdateFilter<StoredLog>[] = [
      { $set: { user: "mallory" } },
      { $set: { "metadata.bytes": 3_000_000_001 } },
      { $set: { "metadata.attempts": "3" } },
      { $unset: { source: "" } },
      { $set: { received_at: new Date("2025-03-04T03:06:08.124Z") } },
      { $inc: { sequence: 1 } },
    ];
    for (const [index, edit] of edits.entries()) {
      const id = `rt-edit-${index}`;
      await logs().insertOne(makeSignedDoc(id));
      assert.equal(verifyLogMac(await readBack(id), keyring), "valid");
      await logs().updateOne({ _id: id }, edit);
      assert.equal(verifyLogMac(await readBack(id), keyring), "tampered", JSON.stringify(edit));
    }
  });
});
