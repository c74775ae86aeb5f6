// NDJSON read line by line (blank lines skipped), and a JSON array of objects
// read whole up to a size cap, each element with the line it starts on.
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { ImportFileError, type SourceItem } from "./source";

export const MAX_JSON_FILE_BYTES = 64 * 1024 * 1024;

export async function* readNdjson(text: AsyncIterable<string>): AsyncGenerator<SourceItem> {
  const lines = createInterface({ input: Readable.from(text), crlfDelay: Infinity });
  let line = 0;
  for await (const content of lines) {
    line += 1;
    if (content.trim() === "") continue;
    yield itemOf(line, () => JSON.parse(content));
  }
}

export async function* readJsonArray(
  text: AsyncIterable<string>,
  maxBytes = MAX_JSON_FILE_BYTES,
): AsyncGenerator<SourceItem> {
  let whole = "";
  for await (const chunk of text) {
    whole += chunk;
    if (whole.length > maxBytes) {
      throw new ImportFileError(
        `The JSON file is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB; import it as NDJSON (one object per line) instead.`,
      );
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(whole);
  } catch (error) {
    throw new ImportFileError(`The file is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!Array.isArray(parsed)) {
    if (!isObject(parsed)) throw new ImportFileError("The JSON file must hold an array of log objects.");
    yield { kind: "row", line: 1 + leadingLines(whole), record: parsed };
    return;
  }
  const lines = elementLines(whole);
  for (const [index, element] of parsed.entries()) yield itemOf(lines[index] ?? 1, () => element);
}

function itemOf(line: number, read: () => unknown): SourceItem {
  let value: unknown;
  try {
    value = read();
  } catch {
    return { kind: "broken", line, message: "is not valid JSON" };
  }
  return isObject(value)
    ? { kind: "row", line, record: value }
    : { kind: "broken", line, message: "must be a JSON object" };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function leadingLines(text: string): number {
  return (/^\s*/.exec(text)?.[0].match(/\n/g) ?? []).length;
}

/** The line on which each element of the top-level array (known to be valid JSON) starts. */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectingElement = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === "\n") line++;
    if (inString) {
      if (char === "\\") i++;
      else if (char === '"') inString = false;
      continue;
    }
    if (/\s/.test(char)) continue;
    if (depth === 1 && expectingElement && char !== "]") {
      lines.push(line);
      expectingElement = false;
    }
    if (char === '"') inString = true;
    else if (char === "[" || char === "{") {
      depth++;
      if (depth === 1) expectingElement = true;
    } else if (char === "]" || char === "}") depth--;
    else if (char === "," && depth === 1) expectingElement = true;
  }
  return lines;
}
