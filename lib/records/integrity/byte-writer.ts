// A growable byte buffer that canonical encodings are written into in place:
// one buffer per encoding instead of one small Buffer per value joined by
// Buffer.concat (ingestion encodes every field of every log).

// UTF-8 takes at most 3 bytes per UTF-16 code unit (a surrogate pair: 4 bytes for 2).
const MAX_UTF8_BYTES_PER_UNIT = 3;
const SHORT_TEXT = 64;

export class ByteWriter {
  #bytes: Buffer;
  #length = 0;

  constructor(capacity = 1024) {
    this.#bytes = Buffer.allocUnsafe(capacity);
  }

  get length(): number {
    return this.#length;
  }

  get capacity(): number {
    return this.#bytes.length;
  }

  /** Forgets what was written after `length` (all of it by default); views of it then show what is written next. */
  reset(length = 0): void {
    this.#length = length;
  }

  /** Tag (1 byte) + length (4 bytes, big-endian) + UTF-8 bytes of the text. */
  taggedText(tag: number, text: string): void {
    this.#reserve(5 + text.length * MAX_UTF8_BYTES_PER_UNIT);
    const start = this.#length;
    const written = this.#writeText(text, start + 5);
    this.#bytes[start] = tag;
    this.#bytes.writeUInt32BE(written, start + 1);
    this.#length = start + 5 + written;
  }

  /** Tag (1 byte) + 32-bit big-endian count. */
  taggedCount(tag: number, count: number): void {
    this.#reserve(5);
    this.#bytes[this.#length] = tag;
    this.#bytes.writeUInt32BE(count, this.#length + 1);
    this.#length += 5;
  }

  /** 32-bit big-endian length + UTF-8 bytes of the text. */
  lengthPrefixedText(text: string): void {
    this.#reserve(4 + text.length * MAX_UTF8_BYTES_PER_UNIT);
    const start = this.#length;
    const written = this.#writeText(text, start + 4);
    this.#bytes.writeUInt32BE(written, start);
    this.#length = start + 4 + written;
  }

  bytes(bytes: Uint8Array): void {
    this.#reserve(bytes.length);
    this.#bytes.set(bytes, this.#length);
    this.#length += bytes.length;
  }

  /** Appends a copy of bytes written earlier, [start, end). */
  repeat(start: number, end: number): void {
    this.#reserve(end - start);
    this.#length += this.#bytes.copy(this.#bytes, this.#length, start, end);
  }

  /** The bytes [start, end) without copying: valid until this writer is reset. */
  view(start = 0, end = this.#length): Buffer {
    return this.#bytes.subarray(start, end);
  }

  /** A copy of everything written, owned by the caller. */
  copy(): Buffer {
    return Buffer.from(this.view());
  }

  // Most fields of a log are short ASCII, copied here for less than a call into
  // the UTF-8 encoder costs; anything else goes to the encoder.
  #writeText(text: string, at: number): number {
    if (text.length > SHORT_TEXT) return this.#bytes.write(text, at, "utf8");
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (unit >= 0x80) return this.#bytes.write(text, at, "utf8");
      this.#bytes[at + i] = unit;
    }
    return text.length;
  }

  #reserve(more: number): void {
    const needed = this.#length + more;
    if (needed <= this.#bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, this.#bytes.length * 2));
    this.#bytes.copy(grown, 0, 0, this.#length);
    this.#bytes = grown;
  }
}
