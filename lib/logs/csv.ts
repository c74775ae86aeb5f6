// Logs as CSV for people and spreadsheets, streamed in batches so memory stays
// flat however many logs are exported. Column names are the JSON field names.
// Cells a spreadsheet would run as a formula get a leading ' (OWASP), in a way
// that restoreCsvCell undoes exactly. `timestamp` is the UTC time, not the text
// as sent, so a CSV cannot re-check MACs; NDJSON carries the signed fields.
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
  "sequence",
  "key_id",
  "mac",
  "received_at",
] as const;

/** Lets spreadsheet programs (Excel above all) read the file as UTF-8. */
export const CSV_BOM = "\uFEFF";

export type CsvLog = Pick<
  StoredLog,
  "_id" | "time" | "ip" | "user" | "action" | "status" | "source" | "message" | "metadata" | "sequence" | "key_id" | "mac" | "received_at"
>;

const NEWLINE = "\r\n";
const BATCH_SIZE = 500;

// Any run of quotes before a formula character, so that a cell that already
// starts with ' + formula character gets one more and the change stays reversible.
const FORMULA_START = /^'*[=+\-@\t\r]/;
const NEUTRALISED_START = /^'+[=+\-@\t\r]/;

export function neutraliseCsvCell(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** The inverse of neutraliseCsvCell, for reading our own exports back. */
export function restoreCsvCell(cell: string): string {
  return NEUTRALISED_START.test(cell) ? cell.slice(1) : cell;
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

function csvCells(log: CsvLog): string[] {
  const cells = [
    log._id,
    log.time.toISOString(),
    log.ip,
    log.user,
    log.action,
    log.status,
    log.source ?? "",
    log.message ?? "",
    log.metadata ? JSON.stringify(log.metadata) : "",
    String(log.sequence),
    log.key_id,
    log.mac,
    log.received_at.toISOString(),
  ];
  return cells.map(neutraliseCsvCell);
}
