import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import type { SignedLogFields } from "./canonical";
import { parseKeyring } from "./keyring";
import { signLog, verifyLogMac } from "./mac";
import { makeSignedFields } from "./signed-fields.fixture";

const k1 = `k1:${randomBytes(32).toString("base64url")}`;
const k2 = `k2:${randomBytes(32).toString("base64url")}`;
const keyring = parseKeyring(`${k1},${k2}`, "k1");

type StoredLog = SignedLogFields & { mac: unknown };

// Computed independently of this code from the layout in canonical.ts.
const GOLDEN_MAC = "604df8a422f3f66aeb2efcdfea15efe5793689f5964045f46a0c920f17253417";

function makeFields(overrides: Partial<Omit<SignedLogFields, "key_id">> = {}): Omit<SignedLogFields, "key_id"> {
  const { key_id: _unsigned, ...fields } = makeSignedFields({
    source: "web-1",
    message: "signed in",
    metadata: { attempts: 3, ratio: 0.5, mfa: true, agent: "curl/8 👋" },
    sequence: 7,
    ...overrides,
  });
  return fields;
}

function makeSignedLog(overrides: Partial<Omit<SignedLogFields, "key_id">> = {}, ring = keyring): StoredLog {
  const fields = makeFields(overrides);
  return { ...fields, ...signLog(fields, ring) };
}

/** Every single-field edit an attacker might make, by name. */
function edits(log: StoredLog): [string, StoredLog][] {
  const meta = log.metadata!;
  const list: [string, Partial<StoredLog>][] = [
    ["log_id", { log_id: "log-2" }],
    ["timestamp", { timestamp: "2025-01-01T00:00:00.000Z" }],
    ["received_at", { received_at: new Date(log.received_at.getTime() + 1) }],
    ["ip", { ip: "10.0.0.2" }],
    ["user", { user: "alicE" }],
    ["action", { action: "logout" }],
    ["status", { status: "failed" }],
    ["source removed", { source: undefined }],
    ["source emptied", { source: "" }],
    ["message", { message: "signed in." }],
    ["message removed", { message: undefined }],
    ["metadata removed", { metadata: undefined }],
    ["metadata emptied", { metadata: {} }],
    ["metadata key added", { metadata: { ...meta, extra: "x" } }],
    [
      "metadata key renamed",
      { metadata: { ...Object.fromEntries(Object.entries(meta).filter(([k]) => k !== "mfa")), MFA: true } },
    ],
    ["sequence", { sequence: log.sequence + 1 }],
    ["key_id", { key_id: "k2" }],
  ];
  for (const [key, value] of Object.entries(meta)) {
    const changed = typeof value === "number" ? value + 1 : typeof value === "boolean" ? !value : `${value}!`;
    list.push([`metadata.${key} value`, { metadata: { ...meta, [key]: changed } }]);
    list.push([
      `metadata.${key} type`,
      { metadata: { ...meta, [key]: typeof value === "string" ? 0 : String(value) } },
    ]);
  }
  return list.map(([name, change]) => [name, { ...log, ...change }]);
}

describe("signLog", () => {
  it("signs with the active key as 64 lowercase hex characters", () => {
    const { key_id, mac } = signLog(makeFields(), keyring);
    assert.equal(key_id, "k1");
    assert.match(mac, /^[0-9a-f]{64}$/);
  });

  it("pins the v1 encoding: this MAC changes only if the canonical layout changes", () => {
    const fixed = parseKeyring(`k1:${Buffer.alloc(32, 7).toString("base64")}`, undefined);
    const { mac } = signLog(makeFields({ metadata: { n: 1, s: "é", b: false } }), fixed);
    assert.equal(mac, GOLDEN_MAC);
  });

  it("refuses fields it cannot encode", () => {
    assert.throws(() => signLog(makeFields({ sequence: 1.5 }), keyring), /sequence/);
  });
});

describe("verifyLogMac", () => {
  it("accepts a log as signed", () => {
    assert.equal(verifyLogMac(makeSignedLog(), keyring), "valid");
    assert.equal(
      verifyLogMac(makeSignedLog({ source: undefined, message: undefined, metadata: undefined }), keyring),
      "valid",
    );
  });

  it("accepts a log whose input keys arrive in a different order", () => {
    const log = makeSignedLog();
    const reordered = Object.fromEntries(Object.entries(log).reverse()) as StoredLog;
    reordered.metadata = Object.fromEntries(Object.entries(log.metadata!).reverse());
    assert.equal(verifyLogMac(reordered, keyring), "valid");
  });

  it("finds any single-field edit tampered", () => {
    const log = makeSignedLog();
    const cases = edits(log);
    assert.ok(cases.length >= 20);
    for (const [name, edited] of cases) {
      assert.equal(verifyLogMac(edited, keyring), "tampered", name);
    }
  });

  it("still verifies logs signed with an old key after rotation", () => {
    const before = parseKeyring(k1, undefined);
    const log = makeSignedLog({}, before);
    const rotated = parseKeyring(`${k2},${k1}`, undefined);
    assert.equal(rotated.activeKeyId, "k2");
    assert.equal(verifyLogMac(log, rotated), "valid");
    assert.equal(makeSignedLog({}, rotated).key_id, "k2");
  });

  it("is unverifiable when the log's key id was removed from the keyring", () => {
    const log = makeSignedLog();
    assert.equal(verifyLogMac(log, parseKeyring(k2, undefined)), "unverifiable");
  });

  it("finds a MAC of the wrong shape tampered without throwing", () => {
    const log = makeSignedLog();
    const mac = log.mac as string;
    const bad: unknown[] = [
      mac.toUpperCase(),
      mac.slice(0, 62),
      `${mac}00`,
      "",
      "z".repeat(64),
      Buffer.from(mac, "hex").toString("base64"),
      null,
      undefined,
      42,
      ["x"],
      { mac },
      Buffer.from(mac, "hex"),
    ];
    for (const value of bad) {
      assert.equal(verifyLogMac({ ...log, mac: value }, keyring), "tampered", String(value));
    }
  });

  it("finds fields that cannot be encoded tampered without throwing", () => {
    const log = makeSignedLog();
    const broken: Partial<Record<keyof StoredLog, unknown>>[] = [
      { sequence: 7.5 },
      { sequence: "7" },
      { metadata: { attempts: null } },
      { metadata: { attempts: { $numberLong: "3" } } },
      { metadata: "attempts=3" },
      { received_at: "2025-01-01T00:00:01.234Z" },
      { user: undefined },
      { key_id: 1 },
    ];
    for (const change of broken) {
      assert.equal(verifyLogMac({ ...log, ...change } as StoredLog, keyring), "tampered", JSON.stringify(change));
    }
  });
});

describe("signLog's leaf", () => {
  it("is the Merkle leaf hash of the signed fields, as the verifier computes it", async () => {
    const { logLeafHash } = await import("./merkle");
    const fields = makeFields();
    const { key_id, leaf } = signLog(fields, keyring);
    assert.deepEqual(leaf, logLeafHash({ ...fields, key_id }));
  });
});
