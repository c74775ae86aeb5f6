// What each kind of file means, row by row: the original project's CSV, our
// own CSV export, our verifiable NDJSON export, and plain log objects. Every
// row becomes a LogInput checked by the same schema as POST /api/logs, with
// three import rules: a timestamp without an offset is UTC, a timestamp is
// required (there is no receive time to stand in), and a row without a log_id
// gets a stable one, so importing a file again stores nothing twice.
import { createHash } from "node:crypto";
import { describeIssues } from "@/lib/platform/http/validation";
import { CSV_COLUMNS, restoreCsvCell } from "@/lib/records/logs/csv";
import { LOG_LIMITS, LogInput } from "@/lib/records/logs/schemas";
import {
  checkLegacyHash,
  forgedVerdictProblem,
  LEGACY_METADATA,
  type LegacyVerdict,
} from "@/lib/records/integrity/legacy-hash";
import { ImportFileError } from "./source";

export type RowProblem = { field: string; message: string };
export type RowOutcome =
  | { kind: "log"; input: LogInput; legacy?: LegacyVerdict }
  | { kind: "refused"; problems: RowProblem[]; legacy?: LegacyVerdict }
  /** A line of our NDJSON export that is not a log (header, key, checkpoint, omitted). */
  | { kind: "skipped" };

export type Dialect = "legacy_csv" | "ledgerline_csv" | "json" | "syslog";
export type ReadRow = (record: Record<string, unknown>, line: number) => RowOutcome;

export const LEGACY_COLUMNS = ["_id", "timestamp", "ip", "user", "action", "status", "log_hash", "log_id"] as const;
const REQUIRED_COLUMNS = ["timestamp", "user", "action", "status"];
const OFFSETLESS = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;
const SPACE_SEPARATED = /^(\d{4}-\d{2}-\d{2}) (\d{2}:)/;
const LOG_ID_SAFE = /^[A-Za-z0-9._:@-]+$/;
export const EMPTY_CSV = "The file is empty: a CSV needs a header line.";
const LOG_INPUT_FIELDS = [
  "log_id",
  "timestamp",
  "ip",
  "user",
  "action",
  "status",
  "source",
  "message",
  "metadata",
] as const;

/** Which CSV this is, from its header; an ImportFileError when it is neither. */
export function csvDialect(columns: string[]): Exclude<Dialect, "json" | "syslog"> {
  if (columns.every((column) => column.trim() === "")) throw new ImportFileError(EMPTY_CSV);
  const has = (names: readonly string[]) => names.every((name) => columns.includes(name));
  if (columns.includes("_id") || columns.includes("log_hash")) {
    const unknown = columns.filter((column) => !(LEGACY_COLUMNS as readonly string[]).includes(column));
    if (!has(LEGACY_COLUMNS) || unknown.length > 0) {
      throw new ImportFileError(
        `A CSV of the original project has the columns ${LEGACY_COLUMNS.join(",")}; this one has ${columns.join(",")}.`,
      );
    }
    return "legacy_csv";
  }
  const unknown = columns.filter((column) => !(CSV_COLUMNS as readonly string[]).includes(column));
  if (unknown.length > 0 || !has(REQUIRED_COLUMNS)) {
    throw new ImportFileError(
      `The CSV header is neither the original project's (${LEGACY_COLUMNS.join(",")}) nor Ledgerline's ` +
        `(${REQUIRED_COLUMNS.join(",")} required; also ${CSV_COLUMNS.filter((c) => !REQUIRED_COLUMNS.includes(c)).join(",")})` +
        (unknown.length > 0 ? `: unknown column${unknown.length === 1 ? "" : "s"} ${unknown.join(", ")}.` : "."),
    );
  }
  return "ledgerline_csv";
}

export function rowReader(dialect: Dialect, legacyKey: string | undefined): ReadRow {
  if (dialect === "legacy_csv") return (record, line) => legacyRow(record, line, legacyKey);
  if (dialect === "ledgerline_csv") return ledgerlineCsvRow;
  return jsonRow;
}

function legacyRow(record: Record<string, unknown>, line: number, legacyKey: string | undefined): RowOutcome {
  const raw = (name: (typeof LEGACY_COLUMNS)[number]) => String(record[name] ?? "");
  const fields = {
    log_id: raw("log_id"),
    timestamp: raw("timestamp"),
    ip: raw("ip"),
    user: raw("user"),
    action: raw("action"),
    status: raw("status"),
    log_hash: raw("log_hash"),
  };
  const legacy = checkLegacyHash(fields, legacyKey);
  const metadata: Record<string, string> = {};
  if (raw("_id")) metadata[LEGACY_METADATA.id] = raw("_id");
  if (fields.log_hash) metadata[LEGACY_METADATA.hash] = fields.log_hash;
  metadata[LEGACY_METADATA.verdict] = legacy;
  const outcome = validate(
    {
      log_id: fields.log_id || legacyLogId(raw("_id")) || fallbackLogId(record, line),
      timestamp: fields.timestamp,
      ip: fields.ip,
      user: fields.user,
      // The original wrote both "login_attempt" and "login attempt".
      action: fields.action.trim().replace(/\s+/g, "_"),
      status: fields.status,
      metadata,
    },
    line,
  );
  if (legacy !== "mismatched") return { ...outcome, legacy };
  const mismatch = {
    field: "log_hash",
    message: fields.log_hash
      ? "does not match the HMAC of log_id+timestamp+ip+user+action+status with the legacy key"
      : "is empty, but the row has a log_id",
  };
  return { kind: "refused", problems: [mismatch, ...(outcome.kind === "refused" ? outcome.problems : [])], legacy };
}

function ledgerlineCsvRow(record: Record<string, unknown>, line: number): RowOutcome {
  const cells = Object.fromEntries(
    Object.entries(record).map(([name, value]) => [name, restoreCsvCell(String(value ?? ""))]),
  );
  const input: Record<string, unknown> = {};
  for (const name of LOG_INPUT_FIELDS) if (cells[name]) input[name] = cells[name];
  if (cells.metadata) {
    try {
      input.metadata = JSON.parse(cells.metadata);
    } catch {
      return { kind: "refused", problems: [{ field: "metadata", message: "is not valid JSON" }] };
    }
  }
  return validate(input, line);
}

function jsonRow(record: Record<string, unknown>, line: number): RowOutcome {
  if (!("type" in record)) {
    const forged = forgedVerdictProblem(record.metadata);
    return forged ? { kind: "refused", problems: [forged] } : validate(record, line);
  }
  // A line of our verifiable export: its log lines carry the signed fields (the MAC and sequence are made anew).
  if (record.type !== "log") return { kind: "skipped" };
  const input: Record<string, unknown> = {};
  for (const name of LOG_INPUT_FIELDS) if (record[name] !== undefined) input[name] = record[name];
  return validate(input, line);
}

function validate(input: Record<string, unknown>, line: number): Exclude<RowOutcome, { kind: "skipped" }> {
  const candidate = { ...input };
  if (typeof candidate.timestamp === "string") candidate.timestamp = utcTimestamp(candidate.timestamp);
  candidate.log_id ??= fallbackLogId(input, line);
  const result = LogInput.safeParse(candidate);
  if (!result.success) return { kind: "refused", problems: describeIssues(result.error.issues) };
  if (result.data.timestamp === undefined) {
    return {
      kind: "refused",
      problems: [{ field: "timestamp", message: "is required (an import has no receive time to use instead)" }],
    };
  }
  return { kind: "log", input: result.data };
}

/** "2024-05-01 12:00:00.123456" → "2024-05-01T12:00:00.123456Z": no offset means UTC. */
export function utcTimestamp(text: string): string {
  const trimmed = text.trim();
  const offsetless = OFFSETLESS.exec(trimmed);
  if (offsetless) return `${offsetless[1]}T${offsetless[2]}Z`;
  return trimmed.replace(SPACE_SEPARATED, "$1T$2");
}

/** `legacy-<_id>`, or `legacy-h-<hash of _id>` when the _id has characters a log_id may not. */
export function legacyLogId(id: string): string | undefined {
  if (id === "") return undefined;
  const plain = `legacy-${id}`;
  if (LOG_ID_SAFE.test(id) && plain.length <= LOG_LIMITS.logId) return plain;
  return `legacy-h-${createHash("sha256").update(id, "utf8").digest("hex").slice(0, 32)}`;
}

/** For a row without any id: stable for the same row on the same line, distinct for equal rows on different lines. */
function fallbackLogId(record: Record<string, unknown>, line: number): string {
  return `import-${createHash("sha256")
    .update(`${line}\n${JSON.stringify(record)}`, "utf8")
    .digest("hex")
    .slice(0, 32)}`;
}
