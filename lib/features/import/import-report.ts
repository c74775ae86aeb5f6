// What an import did, row by row counts: returned by importLogs and summarised in one line by summary.ts.
import type { LegacyVerdict } from "@/lib/records/integrity/legacy-hash";
import type { Dialect } from "./dialects";
import type { ImportFormat } from "./source";
import type { RefusedRow } from "./store-batch";

export type ImportReport = {
  format: ImportFormat;
  dialect: Dialect;
  dry_run: boolean;
  /** Rows read (lines of our export that are not logs, and syslog lines that hold no attempt, are skipped, not counted). */
  rows: number;
  /** Stored now; in a dry run, rows that passed every check. */
  imported: number;
  already_there: number;
  refused: number;
  skipped: number;
  /** Legacy-hash verdicts of the original project's rows; null for other files. */
  legacy: Record<LegacyVerdict, number> | null;
  /** Skipped syslog lines by reason (lib/records/syslog); null for other files. */
  skipped_reasons: Record<string, number> | null;
  refused_rows: RefusedRow[];
};
