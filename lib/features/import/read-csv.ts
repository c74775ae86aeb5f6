// CSV rows streamed through papaparse (header row first), each with the line
// it starts on: a quoted cell may span lines, so every row advances the line
// count by one plus the line breaks inside its cells. papaparse pauses after
// each chunk until the consumer asks for more, so memory stays flat.
import { Readable } from "node:stream";
import Papa from "papaparse";
import type { SourceItem } from "./source";

type Row = Record<string, string | string[] | undefined>;
type Delivery = { results: Papa.ParseResult<Row>; parser: Papa.Parser } | { done: true } | { error: unknown };

const LINE_BREAK = /\r\n|\r|\n/g;
const EXTRA = "__parsed_extra";

export async function* readCsv(text: AsyncIterable<string>): AsyncGenerator<SourceItem> {
  const next = deliveries(Readable.from(text));
  let columns: string[] | undefined;
  let line = 1;
  for (;;) {
    const delivery = await next();
    if ("error" in delivery) throw delivery.error;
    if ("done" in delivery) return;
    const { results, parser } = delivery;
    if (!columns) {
      columns = results.meta.fields ?? [];
      yield { kind: "header", columns };
      line += 1 + columns.reduce((sum, column) => sum + lineBreaks(column), 0);
    }
    // Quote errors are numbered within the chunk (field-count ones are not: those are checked here).
    const quoteProblems = new Map<number, string>();
    for (const error of results.errors) {
      if (error.type === "Quotes")
        quoteProblems.set(Math.min(error.row ?? 0, results.data.length - 1), quoteMessage(error.code));
    }
    for (const [index, row] of results.data.entries()) {
      const start = line;
      line +=
        1 +
        Object.values(row).reduce<number>(
          (sum, value) => sum + [value ?? []].flat().reduce((s, cell) => s + lineBreaks(cell), 0),
          0,
        );
      if (isBlank(row, columns)) continue;
      const problem = quoteProblems.get(index) ?? fieldCountProblem(row, columns);
      yield problem ? { kind: "broken", line: start, message: problem } : { kind: "row", line: start, record: row };
    }
    parser.resume();
  }
}

/** Starts papaparse on the stream; each call waits for its next chunk of rows (parsing paused meanwhile). */
function deliveries(input: Readable): () => Promise<Delivery> {
  const queue: Delivery[] = [];
  let wake: (() => void) | undefined;
  const push = (delivery: Delivery) => {
    queue.push(delivery);
    wake?.();
  };
  Papa.parse<Row>(input, {
    header: true,
    delimiter: ",",
    skipEmptyLines: false,
    chunk(results, parser) {
      parser.pause();
      push({ results, parser });
    },
    complete: () => push({ done: true }),
    error: (error: unknown) => push({ error }),
  });
  return async () => {
    while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
    return queue.shift()!;
  };
}

function lineBreaks(cell: string): number {
  return cell.match(LINE_BREAK)?.length ?? 0;
}

/** An empty line: papaparse reads it as one empty cell. */
function isBlank(row: Row, columns: string[]): boolean {
  const values = Object.values(row);
  return columns.length > 1 && values.length === 1 && values[0] === "";
}

function fieldCountProblem(row: Row, columns: string[]): string | undefined {
  const extra = row[EXTRA];
  const count = Object.keys(row).filter((key) => key !== EXTRA).length + (Array.isArray(extra) ? extra.length : 0);
  if (count === columns.length) return undefined;
  return `has ${count} cell${count === 1 ? "" : "s"} where the header has ${columns.length}`;
}

function quoteMessage(code: string): string {
  return code === "MissingQuotes"
    ? "has a quoted cell that is never closed"
    : "has a malformed quoted cell (a quote inside a cell must be doubled)";
}
