import { z } from "zod";
import type { ImportReport } from "@/lib/features/import/import-report";
import { LEGACY_VERDICTS } from "@/lib/records/integrity/legacy-hash";
import { IMPORT_FORMATS } from "@/lib/features/import/source";
import { component } from "@/lib/features/openapi/components";
import { answerSchema } from "@/lib/features/openapi/wire";

const DIALECTS = ["legacy_csv", "ledgerline_csv", "json", "syslog"] as const;

export const ImportReportAnswer = component(
  "ImportReport",
  answerSchema<ImportReport>()(
    z.object({
      format: z.enum(IMPORT_FORMATS),
      dialect: z.enum(DIALECTS),
      dry_run: z.boolean(),
      rows: z.int().min(0),
      imported: z.int().min(0).meta({ description: "Stored now; in a dry run, rows that passed every check." }),
      already_there: z.int().min(0),
      refused: z.int().min(0),
      skipped: z.int().min(0),
      legacy: z
        .record(z.enum(LEGACY_VERDICTS), z.int().min(0))
        .nullable()
        .meta({ description: "Legacy-hash verdicts of the original project's rows; null for other files." }),
      skipped_reasons: z
        .record(z.string(), z.int().min(0))
        .nullable()
        .meta({ description: "Skipped syslog lines by reason; null for other files." }),
      refused_rows: z.array(
        z.object({ line: z.int(), problems: z.array(z.object({ field: z.string(), message: z.string() })) }),
      ),
    }),
  ),
);

export const EXAMPLE_IMPORT_REPORT: z.input<typeof ImportReportAnswer> = {
  format: "csv",
  dialect: "legacy_csv",
  dry_run: false,
  rows: 12,
  imported: 9,
  already_there: 1,
  refused: 2,
  skipped: 0,
  legacy: { verified: 7, mismatched: 1, not_checkable: 2, unchecked: 0 },
  skipped_reasons: null,
  refused_rows: [
    {
      line: 5,
      problems: [{ field: "status", message: "must be 'success' or 'failed' ('failure' and 'fail' mean failed)" }],
    },
  ],
};
