import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { parseKeyring } from "@/lib/records/integrity/keyring";
import { defaultKeyId, ensureLocalSecrets } from "./local-secrets";

function files(envText: string | null) {
  const dir = mkdtempSync(path.join(tmpdir(), "ledgerline-secrets-"));
  const env = path.join(dir, ".env.local");
  const example = path.join(dir, ".env.local.example");
  writeFileSync(example, "# example\nMONGODB_DB=secure_logs\nLEDGERLINE_HMAC_KEYS=\n", { mode: 0o644 });
  if (envText !== null) writeFileSync(env, envText, { mode: 0o644 });
  return { dir, env, example };
}

/** With a umask of 0, only the mode given at creation keeps a file from others. */
function withoutUmask<T>(run: () => T): T {
  const previous = process.umask(0);
  try {
    return run();
  } finally {
    process.umask(previous);
  }
}

describe("ensureLocalSecrets", () => {
  it("creates .env.local from the example with a usable signing key, readable only by its owner", () => {
    const { dir, env, example } = files(null);
    assert.deepEqual(
      withoutUmask(() => ensureLocalSecrets(env, example)),
      ["LEDGERLINE_HMAC_KEYS", "SESSION_SECRET", "LEDGERLINE_CHECKPOINT_KEYS", "LEDGERLINE_TOTP_KEY"],
    );
    assert.deepEqual(readdirSync(dir).sort(), [".env.local", ".env.local.example"], "a temporary file was left behind");
    assert.equal(statSync(example).mode & 0o777, 0o644);
    const text = readFileSync(env, "utf8");
    assert.match(text, /^MONGODB_DB=secure_logs$/m);
    const keys = /^LEDGERLINE_HMAC_KEYS=(.+)$/m.exec(text)?.[1];
    assert.ok(keys);
    assert.equal(parseKeyring(keys, undefined).activeKeyId, defaultKeyId());
    assert.match(text, /^SESSION_SECRET=[A-Za-z0-9_-]{43}$/m);
    assert.match(text, /^LEDGERLINE_CHECKPOINT_KEYS=c\d{8}:[A-Za-z0-9_-]+$/m);
    assert.match(text, /^LEDGERLINE_TOTP_KEY=[A-Za-z0-9_-]{43}$/m);
    assert.equal(statSync(env).mode & 0o777, 0o600);
  });

  it("keeps secrets that are already set and changes nothing", () => {
    const original =
      "LEDGERLINE_HMAC_KEYS=mine:" +
      "A".repeat(43) +
      "\nSESSION_SECRET=" +
      "s".repeat(40) +
      "\nLEDGERLINE_CHECKPOINT_KEYS=ck:x\nLEDGERLINE_TOTP_KEY=" +
      "t".repeat(40) +
      "\n";
    const { env, example } = files(original);
    assert.deepEqual(ensureLocalSecrets(env, example), []);
    assert.equal(readFileSync(env, "utf8"), original);
  });

  it("replaces an existing file that lacks a secret with a new owner-only one, never rewriting it in place", () => {
    const { dir, env, example } = files("PORT=4000\n");
    const before = statSync(env).ino;
    withoutUmask(() => ensureLocalSecrets(env, example));
    assert.notEqual(statSync(env).ino, before);
    assert.equal(statSync(env).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir).sort(), [".env.local", ".env.local.example"]);
  });

  it("appends a key to an existing file that lacks one", () => {
    const { env, example } = files("PORT=4000");
    ensureLocalSecrets(env, example);
    assert.match(
      readFileSync(env, "utf8"),
      /^PORT=4000\nLEDGERLINE_HMAC_KEYS=k\d{8}:[A-Za-z0-9_-]{43}\nSESSION_SECRET=[A-Za-z0-9_-]{43}\nLEDGERLINE_CHECKPOINT_KEYS=c\d{8}:[A-Za-z0-9_-]+\nLEDGERLINE_TOTP_KEY=[A-Za-z0-9_-]{43}\n$/,
    );
  });
});

describe("defaultKeyId", () => {
  it("names the key after the day it was made", () => {
    assert.equal(defaultKeyId(new Date("2026-11-26T10:00:00Z")), "k20261126");
  });
});
