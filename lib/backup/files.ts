// NDJSON files written and read a line at a time, with their SHA-256, line
// count and size computed on the way: memory holds one chunk, whatever the
// file's size.
import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, rm, type FileHandle } from "node:fs/promises";
import { createInterface } from "node:readline";
import { Transform } from "node:stream";
import { OWNER_ONLY_FILE } from "@/lib/util/owner-only-files";

export type FileTally = { lines: number; bytes: number; sha256: string };

const CHUNK_CHARS = 65_536;

/** Writes one JSON value per line to a new owner-only file (never over an existing one). */
export class NdjsonWriter {
  readonly #handle: FileHandle;
  readonly #hash: Hash = createHash("sha256");
  #chunk = "";
  #lines = 0;
  #bytes = 0;

  private constructor(handle: FileHandle) {
    this.#handle = handle;
  }

  static async create(path: string): Promise<NdjsonWriter> {
    return new NdjsonWriter(await open(path, "wx", OWNER_ONLY_FILE));
  }

  async write(value: unknown): Promise<void> {
    this.#chunk += `${JSON.stringify(value)}\n`;
    this.#lines++;
    if (this.#chunk.length >= CHUNK_CHARS) await this.#flush();
  }

  async writeAll(values: AsyncIterable<unknown> | Iterable<unknown>): Promise<void> {
    for await (const value of values) await this.write(value);
  }

  /** Closes and deletes the file: for a write that failed midway. */
  async discard(path: string): Promise<void> {
    await this.#handle.close();
    await rm(path, { force: true });
  }

  /** Flushes, syncs to disk and closes; returns what was written. */
  async close(): Promise<FileTally> {
    await this.#flush();
    await this.#handle.sync();
    await this.#handle.close();
    return { lines: this.#lines, bytes: this.#bytes, sha256: this.#hash.digest("hex") };
  }

  async #flush(): Promise<void> {
    if (!this.#chunk) return;
    const bytes = Buffer.from(this.#chunk, "utf8");
    this.#chunk = "";
    this.#hash.update(bytes);
    this.#bytes += bytes.length;
    await this.#handle.write(bytes);
  }
}

/**
 * The lines of a file, and its tally once they have all been read. The file
 * is opened when iteration starts (readline drops lines nobody is listening
 * for yet); throws from the iteration when it cannot be read.
 */
export function readNdjsonLines(path: string): { lines: AsyncIterable<string>; tally: () => FileTally } {
  const hash = createHash("sha256");
  let bytes = 0;
  let lines = 0;
  async function* counted() {
    const input = createReadStream(path);
    const hashed = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    input.once("error", (error) => hashed.destroy(error));
    const reader = createInterface({ input: input.pipe(hashed), crlfDelay: Infinity });
    try {
      for await (const line of reader) {
        lines++;
        yield line;
      }
    } finally {
      reader.close();
      input.destroy();
    }
  }
  let digest: string | undefined;
  return { lines: counted(), tally: () => ({ lines, bytes, sha256: (digest ??= hash.digest("hex")) }) };
}

/** Every line parsed as JSON, or the line number that is not JSON. */
export async function* jsonLines(lines: AsyncIterable<string>): AsyncGenerator<{ line: number; value: unknown } | { line: number; error: string }> {
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === "") continue;
    try {
      yield { line, value: JSON.parse(text) as unknown };
    } catch {
      yield { line, error: "is not valid JSON" };
    }
  }
}
