// Imports logs from a file (CSV, NDJSON, JSON or syslog lines; see dialects.ts
// and lib/records/syslog for what each may hold) through the same validation and signing as POST /api/logs. Rows
// stream through in batches; a row that cannot be stored is refused alone and
// reported by the line it starts on, and the rest is still imported. Used by
// `npm run import` and POST /api/import.
import type { Db } from "mongodb";
import { auditFailedImport } from "@/lib/records/audit/access-audit";
import { recordSecurityEvent, type Actor } from "@/lib/records/audit/security-events";
import type { Keyring } from "@/lib/records/integrity/keyring";
import { csvDialect, EMPTY_CSV, rowReader, type ReadRow } from "./dialects";
import { LEGACY_VERDICTS } from "@/lib/records/integrity/legacy-hash";
import { readCsv } from "./read-csv";
import { readJsonArray, readNdjson } from "./read-json";
import { readSyslog } from "./read-syslog";
import {
  formatFromName,
  ImportFileError,
  peekBytes,
  sniffFormat,
  utf8Text,
  type ImportFormat,
  type SourceItem,
} from "./source";
import { isMostlyStored, storeBatch, type Candidate, type RefusedRow } from "./store-batch";
import type { ImportReport } from "./import-report";
import { importSummary } from "./summary";

export type ImportOptions = {
  /** The format; else from the file name's extension; else sniffed from the first bytes. */
  format?: ImportFormat;
  fileName?: string;
  /** Read and check every row, store nothing. */
  dryRun?: boolean;
  /** The zone syslog lines' BSD timestamps were written in; default UTC. */
  timeZone?: string;
  /** When the file was last written (its modification time), which gives BSD timestamps their year; default now. */
  writtenAt?: Date;
  /** The original project's HMAC key, to check each row's log_hash. */
  legacyKey?: string;
  keyring: Keyring;
  maxFutureSkewMs: number;
  /** Who stores the rows (lib/records/logs/provenance.ts); a file's own ingested_by column is not kept. */
  ingestedBy: string;
  batchSize?: number;
  /** How many refused rows the report lists (all are counted). */
  maxRefusedListed?: number;
  onProgress?: (bytesRead: number) => void;
  /** Who imports: recorded in Ledgerline's own log (not for a dry run). */
  actor?: Actor;
};

export const IMPORT_BATCH_SIZE = 1_000;
const PROBED_ROWS = 16;
const DEFAULT_REFUSED_LISTED = 1_000;

export async function importLogs(
  db: Db,
  source: AsyncIterable<Uint8Array>,
  options: ImportOptions,
): Promise<ImportReport> {
  const { head, bytes } = await peekBytes(source);
  const format = options.format ?? formatFromName(options.fileName) ?? sniffFormat(head);
  let bytesRead = 0;
  // As for POST /api/logs/syslog: a line of other bytes in an auth.log must not keep the file's attempts out.
  const text = utf8Text(bytes, (count) => options.onProgress?.((bytesRead += count)), format === "syslog");
  const report: ImportReport = {
    format,
    dialect: format === "syslog" ? "syslog" : "json",
    dry_run: options.dryRun ?? false,
    rows: 0,
    imported: 0,
    already_there: 0,
    refused: 0,
    skipped: 0,
    legacy: null,
    skipped_reasons: format === "syslog" ? {} : null,
    refused_rows: [],
  };
  const items = itemsOf(format, text, options);
  try {
    await importItems(db, items, report, options);
  } catch (error) {
    if (error instanceof ImportFileError && report.imported > 0) {
      error.message += ` The ${report.imported} rows before the problem were imported; importing the corrected file again stores none of them twice.`;
    }
    if (options.actor && !report.dry_run) {
      // Other errors' messages may name internals, which the audit log must not hold.
      const problem = error instanceof ImportFileError ? error.message : "the server failed (see its log)";
      auditFailedImport(options.actor, {
        fileName: options.fileName,
        format,
        rows: report.rows,
        imported: report.imported,
        problem,
      });
    }
    throw error;
  }
  report.refused_rows.sort((a, b) => a.line - b.line);
  if (options.actor && !report.dry_run) await recordImport(db, report, options);
  return report;
}

function itemsOf(format: ImportFormat, text: AsyncIterable<string>, options: ImportOptions): AsyncIterable<SourceItem> {
  if (format === "csv") return readCsv(text);
  if (format === "ndjson") return readNdjson(text);
  if (format === "syslog")
    return readSyslog(text, { receivedAt: options.writtenAt ?? new Date(), timeZone: options.timeZone });
  return readJsonArray(text);
}

async function importItems(
  db: Db,
  items: AsyncIterable<SourceItem>,
  report: ImportReport,
  options: ImportOptions,
): Promise<void> {
  const maxListed = options.maxRefusedListed ?? DEFAULT_REFUSED_LISTED;
  const refuse = (row: RefusedRow) => {
    report.refused++;
    if (report.refused_rows.length < maxListed) report.refused_rows.push(row);
  };
  let batch: Candidate[] = [];
  // A file imported again: the first batch is probed, and once a batch was mostly there, the next ones look their rows
  // up first.
  let lookFirst: boolean | undefined;
  const flush = async () => {
    if (batch.length === 0) return;
    if (report.dry_run) report.imported += batch.length;
    else {
      lookFirst ??= await isMostlyStored(db, batch.slice(0, PROBED_ROWS));
      const stored = await storeBatch(
        db,
        batch,
        { keyring: options.keyring, maxFutureSkewMs: options.maxFutureSkewMs, ingestedBy: options.ingestedBy },
        lookFirst,
      );
      report.imported += stored.imported;
      report.already_there += stored.alreadyThere;
      stored.refused.forEach(refuse);
      lookFirst = stored.alreadyThere * 2 >= batch.length;
    }
    batch = [];
  };

  let readRow: ReadRow | undefined = report.format === "csv" ? undefined : rowReader(report.dialect, options.legacyKey);
  for await (const item of items) {
    if (item.kind === "skipped") {
      report.skipped++;
      if (report.skipped_reasons) report.skipped_reasons[item.reason] = (report.skipped_reasons[item.reason] ?? 0) + 1;
      continue;
    }
    if (item.kind === "header") {
      report.dialect = csvDialect(item.columns);
      if (report.dialect === "legacy_csv")
        report.legacy = Object.fromEntries(LEGACY_VERDICTS.map((verdict) => [verdict, 0])) as ImportReport["legacy"];
      readRow = rowReader(report.dialect, options.legacyKey);
      continue;
    }
    const outcome = outcomeOf(item, readRow);
    if (outcome.kind === "skipped") {
      report.skipped++;
      continue;
    }
    report.rows++;
    if (outcome.legacy && report.legacy) report.legacy[outcome.legacy]++;
    if (outcome.kind === "refused") refuse({ line: item.line, problems: outcome.problems });
    else {
      batch.push({ line: item.line, input: { ...outcome.input, log_id: outcome.input.log_id! } });
      if (batch.length >= (options.batchSize ?? IMPORT_BATCH_SIZE)) await flush();
    }
  }
  await flush();
  if (!readRow) throw new ImportFileError(EMPTY_CSV);
}

async function recordImport(db: Db, report: ImportReport, { actor, fileName }: ImportOptions): Promise<void> {
  const counts = {
    rows: report.rows,
    imported: report.imported,
    already_there: report.already_there,
    refused: report.refused,
  };
  const legacy = report.legacy
    ? Object.fromEntries(Object.entries(report.legacy).map(([verdict, count]) => [`legacy_${verdict}`, count]))
    : {};
  await recordSecurityEvent(db, {
    action: "logs_imported",
    status: "success",
    user: actor!.user,
    ip: actor!.ip,
    message: `${fileName ? `${fileName}: ` : ""}${importSummary(report)}`.slice(0, 1000),
    metadata: { format: report.format, dialect: report.dialect, ...counts, ...legacy },
  });
}

function outcomeOf(item: Exclude<SourceItem, { kind: "header" | "skipped" }>, readRow: ReadRow | undefined) {
  if (item.kind === "broken")
    return { kind: "refused" as const, problems: [{ field: "(row)", message: item.message }] };
  if (!readRow) throw new ImportFileError("The CSV has no header line.");
  return readRow(item.record, item.line);
}
