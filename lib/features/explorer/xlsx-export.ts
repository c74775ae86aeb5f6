// Logs as an XLSX workbook for spreadsheets, written by ExcelJS's streaming
// writer row by row, so memory stays flat however many logs are exported.
// Every text field is a string cell, which a spreadsheet never runs as a
// formula (so nothing is neutralised); the times are date cells in UTC with
// their zone in the header; metadata is JSON text.
import { PassThrough } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import ExcelJS from "exceljs";
import { CSV_COLUMNS, exportedValues, type CsvLog } from "@/lib/records/logs/csv";

const TIME_FORMAT = "yyyy-mm-dd hh:mm:ss.000";
// Rows written before the writer waits for the reader to take what is buffered.
const ROWS_PER_BATCH = 500;
const MAX_BUFFERED_BYTES = 1 << 20;

// The CSV's columns; the times are UTC dates, which their headers say.
const TIME_COLUMNS = new Set<string>(["timestamp", "received_at"]);
const WIDTHS: Record<(typeof CSV_COLUMNS)[number], number> = {
  log_id: 38,
  timestamp: 24,
  ip: 18,
  user: 20,
  action: 16,
  status: 9,
  source: 16,
  message: 48,
  metadata: 40,
  ingested_by: 24,
  sequence: 10,
  key_id: 10,
  mac: 20,
  received_at: 24,
};

// A text goes in as an inline rich-text string: written with xml:space
// "preserve" when it starts or ends with white space (a plain string cell
// loses it). Spreadsheets read _xHHHH_ in a string as the character HHHH, so
// a literal one is escaped (_x005F_ is "_"), and so are the control
// characters XML cannot hold or would turn into a line feed.
const ESCAPED = /_(?=x[0-9A-Fa-f]{4}_)|[\u0000-\u0008\u000B-\u001F]/g;

function textCell(text: string): { richText: { text: string }[] } {
  const escaped = text.replace(
    ESCAPED,
    (char) => `_x${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}_`,
  );
  return { richText: [{ text: escaped }] };
}

/** The workbook's bytes, in the order the writer produces them. */
export async function* xlsxChunks(logs: AsyncIterable<CsvLog>): AsyncGenerator<Uint8Array> {
  const stream = new PassThrough();
  const written = writeWorkbook(logs, stream).catch((error: unknown) => {
    stream.destroy(error as Error);
    throw error;
  });
  try {
    for await (const chunk of stream) yield chunk as Uint8Array;
    await written;
  } finally {
    // Closed early (the download was cancelled): the writer stops at its next wait.
    stream.destroy();
    written.catch(() => undefined);
  }
}

async function writeWorkbook(logs: AsyncIterable<CsvLog>, stream: PassThrough): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet("logs", { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = CSV_COLUMNS.map((name) => {
    const time = TIME_COLUMNS.has(name);
    return {
      header: time ? `${name} (UTC)` : name,
      width: WIDTHS[name],
      ...(time && { style: { numFmt: TIME_FORMAT } }),
    };
  });
  sheet.getRow(1).font = { bold: true };
  let rows = 0;
  for await (const log of logs) {
    sheet.addRow(exportedValues(log).map(cellOf)).commit();
    if (++rows % ROWS_PER_BATCH === 0) await readerCaughtUp(stream);
  }
  sheet.commit();
  await workbook.commit();
}

function cellOf(value: string | number | Date) {
  return typeof value === "string" ? textCell(value) : value;
}

async function readerCaughtUp(stream: PassThrough): Promise<void> {
  while (stream.readableLength > MAX_BUFFERED_BYTES && !stream.destroyed) await sleep(5);
  if (stream.destroyed) throw new Error("the XLSX download was closed");
}
