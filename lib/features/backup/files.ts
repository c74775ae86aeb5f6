// NDJSON files written and read a line at a time, with their SHA-256, line
// count and size computed on the way: memory holds one chunk, whatever the
// file's size. Given age recipients, a file is written encrypted; given age
// identities, it is read decrypted; the tally is always of the plaintext.
import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, rm } from "node:fs/promises";
import { createInterface } from "node:readline";
import { Transform } from "node:stream";
import { OWNER_ONLY_FILE } from "@/lib/foundation/util/owner-only-files";
import { decryptedFile, encryptingStream } from "./age";

export type FileTally = { lines: number; bytes: number; sha256: string };

const CHUNK_CHARS = 65_536;

type FileSink = { write(bytes: Uint8Array): Promise<void>; close(): Promise<void>; discard(): Promise<void> };

/** A new owner-only file (never over an existing one), encrypted to `recipients` when there are any. */
async function createFileSink(path: string, recipients: readonly string[]): Promise<FileSink> {
  const handle = await open(path, "wx", OWNER_ONLY_FILE);
  const toFile = async (bytes: Uint8Array) => {
    await handle.write(bytes);
  };
  const encrypted =
    recipients.length > 0
      ? await encryptingStream(recipients, toFile).catch(async (error: unknown) => {
          await handle.close();
          throw error;
        })
      : null;
  return {
    write: (bytes) => (encrypted ? encrypted.write(bytes) : toFile(bytes)),
    close: async () => {
      await encrypted?.end();
      await handle.sync();
      await handle.close();
    },
    discard: async () => {
      await encrypted?.abort(new Error("discarded"));
      await handle.close();
      await rm(path, { force: true });
    },
  };
}

/** Writes `text` to a new owner-only file, synced, encrypted to `recipients` when there are any. */
export async function writeWholeFile(path: string, text: string, recipients: readonly string[] = []): Promise<void> {
  const sink = await createFileSink(path, recipients);
  try {
    await sink.write(Buffer.from(text, "utf8"));
  } catch (error) {
    await sink.discard();
    throw error;
  }
  await sink.close();
}

/** Writes one JSON value per line to a new owner-only file (never over an existing one). */
export class NdjsonWriter {
  readonly #sink: FileSink;
  readonly #hash: Hash = createHash("sha256");
  #chunk = "";
  #lines = 0;
  #bytes = 0;

  private constructor(sink: FileSink) {
    this.#sink = sink;
  }

  static async create(path: string, recipients: readonly string[] = []): Promise<NdjsonWriter> {
    return new NdjsonWriter(await createFileSink(path, recipients));
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
  async discard(): Promise<void> {
    await this.#sink.discard();
  }

  /** Flushes, syncs to disk and closes; returns what was written. */
  async close(): Promise<FileTally> {
    await this.#flush();
    await this.#sink.close();
    return { lines: this.#lines, bytes: this.#bytes, sha256: this.#hash.digest("hex") };
  }

  async #flush(): Promise<void> {
    if (!this.#chunk) return;
    const bytes = Buffer.from(this.#chunk, "utf8");
    this.#chunk = "";
    this.#hash.update(bytes);
    this.#bytes += bytes.length;
    await this.#sink.write(bytes);
  }
}

/**
 * The lines of a file (decrypted with `identities` when there are any), and
 * its tally once they have all been read. The file is opened when iteration
 * starts (readline drops lines nobody is listening for yet); throws from the
 * iteration when it cannot be read or decrypted.
 */
export function readNdjsonLines(
  path: string,
  identities: readonly string[] = [],
): { lines: AsyncIterable<string>; tally: () => FileTally } {
  const hash = createHash("sha256");
  let bytes = 0;
  let lines = 0;
  async function* counted() {
    const input = identities.length > 0 ? decryptedFile(path, identities) : createReadStream(path);
    const hashed = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    input.once("error", (error: Error) => hashed.destroy(error));
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
export async function* jsonLines(
  lines: AsyncIterable<string>,
): AsyncGenerator<{ line: number; value: unknown } | { line: number; error: string }> {
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
