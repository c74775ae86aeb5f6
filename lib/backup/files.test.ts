import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, describe, it } from "node:test";
import { NdjsonWriter, readNdjsonLines } from "./files";

const dir = mkdtempSync(path.join(tmpdir(), "ledgerline-files-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));

async function writeFile(name: string, values: unknown[]) {
  const file = path.join(dir, name);
  const writer = await NdjsonWriter.create(file);
  await writer.writeAll(values);
  return { file, tally: await writer.close() };
}

describe("NDJSON files", () => {
  it("are written a line per value with the tally the reader computes again", async () => {
    const values = Array.from({ length: 5_000 }, (_, i) => ({ i, at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)), text: "é".repeat(i % 7) }));
    const { file, tally } = await writeFile("values.ndjson", values);
    const bytes = readFileSync(file);
    assert.deepEqual(tally, { lines: 5_000, bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") });
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
    const { file } = await writeFile("late.ndjson", Array.from({ length: 100 }, (_, i) => i));
    const read = readNdjsonLines(file);
    await sleep(50);
    const lines: string[] = [];
    for await (const line of read.lines) lines.push(line);
    assert.equal(lines.length, 100);
  });

  it("throw from the iteration when the file is missing", async () => {
    const read = readNdjsonLines(path.join(dir, "missing.ndjson"));
    await assert.rejects(async () => {
      for await (const _line of read.lines) assert.fail("a missing file has no lines");
    }, { code: "ENOENT" });
  });
});
