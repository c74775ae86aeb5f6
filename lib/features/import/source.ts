// The bytes of an import file as UTF-8 text, and the format it is in: given
// by the caller, else by the file name's extension, else sniffed from the
// first bytes. Problems with the file as a whole are ImportFileErrors (the CLI
// exits 2, the upload answers 400); problems with a row are reported per line.
export const IMPORT_FORMATS = ["csv", "ndjson", "json", "syslog"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export class ImportFileError extends Error {
  override name = "ImportFileError";
}

const EXTENSIONS: Record<string, ImportFormat> = {
  csv: "csv",
  ndjson: "ndjson",
  jsonl: "ndjson",
  json: "json",
  log: "syslog",
};
// A PRI, a BSD timestamp or an RFC 3339 one: no CSV header starts so.
const SYSLOG_START =
  /^(?:<\d{1,3}>|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:|\d{4}-\d\d-\d\dT\d\d:)/;

export function formatFromName(name: string | undefined): ImportFormat | undefined {
  const extension = /\.([A-Za-z]+)$/.exec(name ?? "")?.[1]?.toLowerCase();
  return extension ? EXTENSIONS[extension] : undefined;
}

/** `[` starts a JSON array, `{` a line of NDJSON, a PRI or a syslog timestamp a syslog line; anything else is read as CSV. */
export function sniffFormat(head: Uint8Array): ImportFormat {
  const text = new TextDecoder()
    .decode(head.subarray(0, 64))
    .replace(/^\uFEFF/, "")
    .trimStart();
  if (text.startsWith("[")) return "json";
  if (text.startsWith("{")) return "ndjson";
  if (SYSLOG_START.test(text)) return "syslog";
  return "csv";
}

/** The first chunk of a byte stream (to sniff), and the whole stream again. */
export async function peekBytes(
  source: AsyncIterable<Uint8Array>,
): Promise<{ head: Uint8Array; bytes: AsyncIterable<Uint8Array> }> {
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  const head = first.done ? new Uint8Array() : first.value;
  async function* bytes() {
    if (!first.done) yield head;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { head, bytes: bytes() };
}

/** The bytes decoded as UTF-8 (a leading byte-order mark dropped); anything else is an ImportFileError, or with `replaceInvalid` U+FFFD. */
export async function* utf8Text(
  bytes: AsyncIterable<Uint8Array>,
  onBytes?: (count: number) => void,
  replaceInvalid = false,
): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { fatal: !replaceInvalid });
  const decode = (chunk?: Uint8Array) => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      throw new ImportFileError("The file is not UTF-8 text.");
    }
  };
  for await (const chunk of bytes) {
    onBytes?.(chunk.byteLength);
    const text = decode(chunk);
    if (text) yield text;
  }
  const rest = decode();
  if (rest) yield rest;
}

/** One item read from a file: the CSV header, a row as an object, a row that could not be read, or a line that holds no log. */
export type SourceItem =
  | { kind: "header"; columns: string[] }
  | { kind: "row"; line: number; record: Record<string, unknown> }
  | { kind: "broken"; line: number; message: string }
  | { kind: "skipped"; line: number; reason: string };
