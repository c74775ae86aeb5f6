import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { replaceOwnerOnlyFile, tightenToOwnerOnly } from "./owner-only-files";

const folder = () => mkdtempSync(path.join(tmpdir(), "ledgerline-owner-only-"));

describe("tightenToOwnerOnly", () => {
  it("sets a file others may read to 600 and says what its mode was", () => {
    const file = path.join(folder(), ".env.local");
    writeFileSync(file, "SESSION_SECRET=x\n", { mode: 0o644 });
    assert.equal(tightenToOwnerOnly(file), 0o644);
    assert.equal(statSync(file).mode & 0o777, 0o600);
  });

  it("leaves an owner-only file and a missing one alone", () => {
    const dir = folder();
    const file = path.join(dir, ".env.local");
    writeFileSync(file, "", { mode: 0o400 });
    assert.equal(tightenToOwnerOnly(file), null);
    assert.equal(statSync(file).mode & 0o777, 0o400);
    assert.equal(tightenToOwnerOnly(path.join(dir, "missing")), null);
  });
});

describe("replaceOwnerOnlyFile", () => {
  it("leaves no temporary file behind when the rename fails", () => {
    const dir = folder();
    mkdirSync(path.join(dir, "taken"));
    writeFileSync(path.join(dir, "taken", "inside"), "");
    assert.throws(() => replaceOwnerOnlyFile(path.join(dir, "taken"), "text"));
    assert.deepEqual(readdirSync(dir), ["taken"]);
  });
});
