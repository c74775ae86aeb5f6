// Logs as CSV for people and spreadsheets, streamed in batches so memory stays
// flat however many logs are exported. Column names are the JSON field names.
// No part of a cell may start a formula, whatever separator a spreadsheet
// splits the file on (neutraliseCsvCell); restoreCsvCell undoes that exactly.
// `timestamp` is the UTC time, not the text as sent, so a CSV cannot re-check
// MACs; NDJSON carries the signed fields.
import Papa from "papaparse";
import type { StoredLog } from "./record";

export const CSV_COLUMNS = [
  "log_id",
  "timestamp",
  "ip",
  "user",
  "action",
  "status",
  "source",
  "message",
  "metadata",
  "ingested_by",
  "sequence",
  "key_id",
  "mac",
  "received_at",
] as const;

/** Lets spreadsheet programs (Excel above all) read the file as UTF-8. */
export const CSV_BOM = "\uFEFF";

export type CsvLog = Pick<
  StoredLog,
  | "_id"
  | "time"
  | "ip"
  | "user"
  | "action"
  | "status"
  | "source"
  | "message"
  | "metadata"
  | "ingested_by"
  | "sequence"
  | "key_id"
  | "mac"
  | "received_at"
>;

const NEWLINE = "\r\n";
const BATCH_SIZE = 500;

// Where a spreadsheet may start a cell: the start of ours, and after any
// character an import may split on (comma, semicolon, tab, pipe, a line
// break), past the double quotes it may take as a field's delimiters. There,
// a formula character (OWASP's = + - @ tab CR), or a run of ' before one, gets
// one more ' in front; restoring takes one ' off wherever a run of them stands
// before a formula character at such a start, so the change is reversible.
const SEPARATORS = new Set([",", ";", "\t", "|", "\r", "\n"]);
const FORMULA_AHEAD = /^'*[=+\-@\t\r]/;

/** Where each piece's text begins: after the cell's start or a separator, and the double quotes there. */
function pieceStarts(cell: string): number[] {
  const starts: number[] = [];
  for (let index = 0; index <= cell.length; index++) {
    if (index > 0 && !SEPARATORS.has(cell[index - 1]!)) continue;
    let start = index;
    while (cell[start] === '"') start++;
    starts.push(start);
  }
  return starts;
}

export function neutraliseCsvCell(cell: string): string {
  if (!MAY_NEED_MARKS.test(cell)) return cell;
  return insertMarks(
    cell,
    pieceStarts(cell).filter((start) => FORMULA_AHEAD.test(cell.slice(start))),
  );
}

/** The inverse of neutraliseCsvCell, for reading our own exports back. */
export function restoreCsvCell(cell: string): string {
  if (!cell.includes("'")) return cell;
  const marks = pieceStarts(cell).filter((start) => cell[start] === "'" && FORMULA_AHEAD.test(cell.slice(start + 1)));
  let out = "";
  let from = 0;
  for (const mark of marks) {
    out += cell.slice(from, mark);
    from = mark + 1;
  }
  return out + cell.slice(from);
}

// Most cells hold no separator and start plainly: nothing to look at.
const MAY_NEED_MARKS = /[,;\t|\r\n]|^["'=+\-@]/;

function insertMarks(cell: string, at: number[]): string {
  let out = "";
  let from = 0;
  for (const start of at) {
    out += `${cell.slice(from, start)}'`;
    from = start;
  }
  return out + cell.slice(from);
}

export function csvHeaderLine(): string {
  return CSV_COLUMNS.join(",") + NEWLINE;
}

/** One CSV line per log, each ending with CRLF. */
export function csvRowLines(logs: CsvLog[]): string {
  if (logs.length === 0) return "";
  return Papa.unparse(logs.map(csvCells), { header: false, newline: NEWLINE }) + NEWLINE;
}

/** The whole file, BOM and header first, one chunk per batch of logs. */
export async function* csvChunks(logs: AsyncIterable<CsvLog>, batchSize = BATCH_SIZE): AsyncGenerator<string> {
  yield CSV_BOM + csvHeaderLine();
  let batch: CsvLog[] = [];
  for await (const log of logs) {
    batch.push(log);
    if (batch.length >= batchSize) {
      yield csvRowLines(batch);
      batch = [];
    }
  }
  if (batch.length > 0) yield csvRowLines(batch);
}

/** A log's value in each of CSV_COLUMNS: the times as Dates and the sequence as a number (the CSV writes their text, the XLSX typed cells). */
export function exportedValues(log: CsvLog): (string | number | Date)[] {
  return [
    log._id,
    log.time,
    log.ip ?? "",
    log.user,
    log.action,
    log.status,
    log.source ?? "",
    log.message ?? "",
    log.metadata ? JSON.stringify(log.metadata) : "",
    log.ingested_by ?? "",
    log.sequence,
    log.key_id,
    log.mac,
    log.received_at,
  ];
}

function csvCells(log: CsvLog): string[] {
  return exportedValues(log).map((value) =>
    neutraliseCsvCell(value instanceof Date ? value.toISOString() : String(value)),
  );
}
