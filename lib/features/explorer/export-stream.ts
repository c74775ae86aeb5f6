// GET /api/logs/export and `npm run export` share this: the logs a filter
// matches as CSV (for tools), XLSX (for spreadsheets) or the verifiable NDJSON
// export (for machines and auditors), streamed: CSV and XLSX from the search
// layout's matches (their records looked up by log_id), the NDJSON from the
// logs collection.
import type { Db } from "mongodb";
import type { PublicKeyInfo } from "@/lib/records/integrity/checkpoint-keys";
import { ndjsonChunks, verifiableExport } from "@/lib/records/integrity/export";
import { logsCollection } from "@/lib/records/logs/collection";
import { csvChunks } from "@/lib/records/logs/csv";
import { exportSelection } from "@/lib/records/logs/export-selection";
import type { LogFilter } from "@/lib/records/logs/filters";
import { logFilterQuery } from "@/lib/records/logs/criteria-query";
import { matchingRecords } from "@/lib/features/explorer/log-pages";
import { xlsxChunks } from "./xlsx-export";

export type ExportDependencies = { publicKeys: PublicKeyInfo[]; maxFutureSkewMs: number };

export const CSV_PROJECTION = {
  _id: 1,
  time: 1,
  ip: 1,
  user: 1,
  action: 1,
  status: 1,
  source: 1,
  message: 1,
  metadata: 1,
  ingested_by: 1,
  sequence: 1,
  key_id: 1,
  mac: 1,
  received_at: 1,
} as const;

// Records looked up per chunk of the search layout's matches, 16 in flight, the next chunk while this one is written.
const RECORDS_PER_LOOKUP = 256;

export type ExportEnd = "complete" | "cancelled" | "failed";
/** Hears, once the stream is over, how many logs it held and how it ended (for the audit log). */
export type ExportEndListener = (rows: number, ended: ExportEnd) => void;

export async function* exportChunks(
  db: Db,
  filter: LogFilter,
  dependencies: ExportDependencies,
  onEnd?: ExportEndListener,
): AsyncGenerator<string | Uint8Array> {
  const tally = { rows: 0 };
  // Closed early (a cancelled download) unless it reaches the end or throws.
  let ended: ExportEnd = "cancelled";
  try {
    yield* formatChunks(db, filter, dependencies, tally);
    ended = "complete";
  } catch (error) {
    ended = "failed";
    throw error;
  } finally {
    onEnd?.(tally.rows, ended);
  }
}

async function* formatChunks(
  db: Db,
  filter: LogFilter,
  dependencies: ExportDependencies,
  tally: { rows: number },
): AsyncGenerator<string | Uint8Array> {
  if (filter.format === "ndjson") {
    yield* ndjsonChunks(
      counted(verifiableExport(db, exportSelection(filter), dependencies), tally, (line) => line.type === "log"),
    );
    return;
  }
  const records = await matchingRecords(db, filter, { direction: filter.sort }, RECORDS_PER_LOOKUP, true);
  const direction = filter.sort === "asc" ? 1 : -1;
  const logs = counted(
    records ??
      logsCollection(db)
        .find(logFilterQuery(filter), { projection: CSV_PROJECTION })
        .sort({ time: direction, sequence: direction }),
    tally,
  );
  yield* filter.format === "xlsx" ? xlsxChunks(logs) : csvChunks(logs);
}

async function* counted<T>(
  items: AsyncIterable<T>,
  tally: { rows: number },
  isRow: (item: T) => boolean = () => true,
): AsyncGenerator<T> {
  for await (const item of items) {
    if (isRow(item)) tally.rows++;
    yield item;
  }
}

export const EXPORT_CONTENT_TYPES = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  ndjson: "application/x-ndjson; charset=utf-8",
} as const;

/** e.g. ledgerline-logs-20261126T0800Z-20261126T0900Z.csv, or ledgerline-logs-all-time.ndjson. */
export function exportFileName(filter: Pick<LogFilter, "from" | "to" | "format">): string {
  const { from, to } = filter;
  const span =
    from && to
      ? `${compactTime(from)}-${compactTime(to)}`
      : from
        ? `from-${compactTime(from)}`
        : to
          ? `until-${compactTime(to)}`
          : "all-time";
  return `ledgerline-logs-${span}.${filter.format}`;
}

// 2026-11-26T08:00:00.000Z → 20261126T0800Z; seconds and milliseconds only when not zero.
function compactTime(time: Date): string {
  return time
    .toISOString()
    .replace(/\.000Z$/, "Z")
    .replace(/:00Z$/, "Z")
    .replace(/[-:]/g, "");
}
