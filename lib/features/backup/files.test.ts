import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, describe, it } from "node:test";
import { AgeDecryptError, generateAgeKeyPair } from "./age";
import { NdjsonWriter, readNdjsonLines, writeWholeFile } from "./files";

const dir = mkdtempSync(path.join(tmpdir(), "ledgerline-files-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));

async function writeFile(name: string, values: unknown[], recipients: string[] = []) {
  const file = path.join(dir, name);
  const writer = await NdjsonWriter.create(file, recipients);
  await writer.writeAll(values);
  return { file, tally: await writer.close() };
}

describe("NDJSON files", () => {
  it("are written a line per value with the tally the reader computes again", async () => {
    const values = Array.from({ length: 5_000 }, (_, i) => ({
      i,
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
      text: "é".repeat(i % 7),
    }));
    const { file, tally } = await writeFile("values.ndjson", values);
    const bytes = readFileSync(file);
    assert.deepEqual(tally, {
      lines: 5_000,
      bytes: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
    });
    assert.equal(JSON.parse(bytes.toString("utf8").split("\n")[1]!).at, "2026-01-01T00:00:01.000Z");

    const read = readNdjsonLines(file);
    let count = 0;
    for await (const line of read.lines) assert.equal(JSON.parse(line).i, count++);
    assert.deepEqual(read.tally(), tally);
  });

  it("never overwrite an existing file", async () => {
    await writeFile("once.ndjson", [1]);
    await assert.rejects(NdjsonWriter.create(path.join(dir, "once.ndjson")), { code: "EEXIST" });
  });

  it("lose no line when reading starts long after the reader was made", async () => {
    const { file } = await writeFile(
      "late.ndjson",
      Array.from({ length: 100 }, (_, i) => i),
    );
    const read = readNdjsonLines(file);
    await sleep(50);
    const lines: string[] = [];
    for await (const line of read.lines) lines.push(line);
    assert.equal(lines.length, 100);
  });

  it("throw from the iteration when the file is missing", async () => {
    for (const identities of [[], [(await generateAgeKeyPair()).identity]]) {
      const read = readNdjsonLines(path.join(dir, "missing.ndjson"), identities);
      await assert.rejects(
        async () => {
          for await (const _line of read.lines) assert.fail("a missing file has no lines");
        },
        { code: "ENOENT" },
      );
    }
  });
});

async function readAll(file: string, identities: string[]) {
  const read = readNdjsonLines(file, identities);
  const lines: string[] = [];
  for await (const line of read.lines) lines.push(line);
  return { lines, tally: read.tally() };
}

describe("NDJSON files encrypted with age", () => {
  it("hold only ciphertext, and read back with any recipient's identity with the plaintext's tally", async () => {
    const [first, second] = [await generateAgeKeyPair(), await generateAgeKeyPair()];
    const values = Array.from({ length: 20_000 }, (_, i) => ({ i, user: `secret-user-${i}` }));
    const { file, tally } = await writeFile("values.ndjson.age", values, [first.recipient, second.recipient]);
    const bytes = readFileSync(file);
    assert.equal(bytes.subarray(0, 22).toString(), "age-encryption.org/v1\n");
    assert.ok(!bytes.includes("secret-user"), "plaintext in the encrypted file");
    const plaintext = Buffer.from(values.map((value) => `${JSON.stringify(value)}\n`).join(""));
    assert.deepEqual(tally, {
      lines: values.length,
      bytes: plaintext.length,
      sha256: createHash("sha256").update(plaintext).digest("hex"),
    });
    for (const { identity } of [first, second]) {
      const read = await readAll(file, [identity]);
      assert.equal(read.lines.length, values.length);
      assert.equal(JSON.parse(read.lines.at(-1)!).i, values.length - 1);
      assert.deepEqual(read.tally, tally);
    }
  });

  it("refuse an identity that is not a recipient, and a changed or cut file", async () => {
    const pair = await generateAgeKeyPair();
    const { file } = await writeFile(
      "refused.ndjson.age",
      Array.from({ length: 10_000 }, (_, i) => ({ i })),
      [pair.recipient],
    );
    await assert.rejects(readAll(file, [(await generateAgeKeyPair()).identity]), (error: Error) => {
      assert.ok(error instanceof AgeDecryptError);
      assert.match(error.message, /none of the given age identities is one of its recipients/);
      return true;
    });
    const bytes = readFileSync(file);
    const changed = Buffer.from(bytes);
    changed[bytes.length - 100]! ^= 1;
    writeFileSync(file, changed);
    await assert.rejects(readAll(file, [pair.identity]), AgeDecryptError);
    writeFileSync(file, bytes.subarray(0, bytes.length - 70_000));
    await assert.rejects(readAll(file, [pair.identity]), /cannot be decrypted .*changed or cut short/);
  });

  it("are deleted when a write fails midway", async () => {
    const file = path.join(dir, "failed.ndjson.age");
    const writer = await NdjsonWriter.create(file, [(await generateAgeKeyPair()).recipient]);
    async function* failing() {
      for (let i = 0; i < 10_000; i++) yield { i };
      throw new Error("the cursor broke");
    }
    await assert.rejects(writer.writeAll(failing()), /the cursor broke/);
    await writer.discard();
    assert.equal(existsSync(file), false);
  });

  it("write a whole text the same way", async () => {
    const pair = await generateAgeKeyPair();
    const file = path.join(dir, "manifest.json.age");
    await writeWholeFile(file, '{"a":1}\n', [pair.recipient]);
    assert.deepEqual((await readAll(file, [pair.identity])).lines, ['{"a":1}']);
    await assert.rejects(writeWholeFile(file, "again", [pair.recipient]), { code: "EEXIST" });
  });
});
