import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ByteWriter } from "./byte-writer";

function tagged(tag: number, text: string): Buffer {
  const bytes = Buffer.from(text, "utf8");
  const head = Buffer.alloc(5);
  head[0] = tag;
  head.writeUInt32BE(bytes.length, 1);
  return Buffer.concat([head, bytes]);
}

describe("ByteWriter", () => {
  it("writes text as Buffer.from does: ASCII, non-ASCII at any position, short and long", () => {
    const texts = [
      "",
      "a",
      "login",
      "é",
      "aé",
      "é".padStart(64, "a"),
      "é".padStart(65, "a"),
      "a".repeat(64),
      "a".repeat(65),
      "👋🏽",
      "€".repeat(9000),
      "x\u0000y",
    ];
    const writer = new ByteWriter(8);
    for (const text of texts) writer.taggedText(1, text);
    assert.deepEqual(writer.copy(), Buffer.concat(texts.map((text) => tagged(1, text))));
  });

  it("keeps what was written when it grows, and repeats earlier bytes", () => {
    const writer = new ByteWriter(4);
    writer.taggedText(2, "abc");
    writer.lengthPrefixedText("key");
    writer.taggedCount(5, 3);
    writer.repeat(0, 8);
    const expected = Buffer.concat([
      tagged(2, "abc"),
      Buffer.from([0, 0, 0, 3]),
      Buffer.from("key"),
      Buffer.from([5, 0, 0, 0, 3]),
      tagged(2, "abc"),
    ]);
    assert.deepEqual(writer.copy(), expected);
  });

  it("starts over after a reset", () => {
    const writer = new ByteWriter();
    writer.taggedText(1, "first");
    writer.reset();
    writer.taggedText(1, "second");
    assert.deepEqual(writer.copy(), tagged(1, "second"));
  });
});
