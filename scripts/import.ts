// npm run import – store the logs of a CSV, NDJSON, JSON or syslog file (ours, the original project's, auth.log)
// through the ingestion path
import { createReadStream, statSync } from "node:fs";
import { z } from "zod";
import { flushAuditEvents } from "@/lib/records/audit/access-audit";
import { CLI_ACTOR } from "@/lib/records/audit/security-events";
import { getConfig } from "@/lib/foundation/config";
import { closeMongoClient, getDb } from "@/lib/platform/db/client";
import { importLogs } from "@/lib/features/import/import-logs";
import { type ImportReport } from "@/lib/features/import/import-report";
import { IMPORT_FORMATS, ImportFileError } from "@/lib/features/import/source";
import { TimeZone } from "@/lib/records/logs/filters";
import { importSummary } from "@/lib/features/import/summary";
import { getKeyring } from "@/lib/records/integrity/active-keyring";
import { ingestedByCli } from "@/lib/records/logs/provenance";
import { EXIT_OK, EXIT_PROBLEM, EXIT_USAGE, runCli } from "./lib/cli";
import { progressBar } from "./lib/progress";

const PROGRESS_FROM_BYTES = 1024 * 1024;
const FILE_ERRORS = new Set(["ENOENT", "EACCES", "EISDIR", "EPERM"]);

const usage = `Usage: npm run import -- FILE [--format csv|ndjson|json|syslog] [--tz ZONE] [--dry-run] [--legacy-key KEY] [--json]

Stores the logs in FILE through the same validation and signing as POST /api/logs
(a timestamp without an offset is read as UTC). Reads:
  - the CSV exported by the original project (_id,timestamp,ip,user,action,status,log_hash,log_id);
  - Ledgerline's own CSV export and verifiable NDJSON export (its log lines);
  - NDJSON or a JSON array of log objects, as POST /api/logs takes them;
  - syslog lines (/var/log/auth.log, RFC 3164 or 5424): one log per sshd, sudo
    or su attempt, other lines skipped and counted (docs/shippers.md).
The format comes from --format, else the extension (.csv .ndjson .jsonl .json
.log), else the first bytes. Importing a file again stores nothing twice.

  --legacy-key KEY  check each original row's log_hash (HMAC-SHA256 with KEY);
                    default LEDGERLINE_LEGACY_KEY. A row whose hash does not
                    match is refused; each imported row keeps its verdict.
  --tz ZONE         the IANA zone of syslog times without one (Dec  7 10:00:01);
                    default UTC. Their year is that of the file's modification
                    time, or the year before for dates after it.
  --dry-run         read and check every row, store nothing
  --json            print the report as JSON

Exit codes: 0 every row imported or already there, 1 a row was refused (each is
listed with its line number), 2 bad usage or a file that cannot be read.`;

runCli({
  usage,
  allowPositionals: true,
  options: {
    format: { type: "string" },
    tz: { type: "string" },
    "dry-run": { type: "boolean" },
    "legacy-key": { type: "string" },
    json: { type: "boolean" },
  },
  schema: z.object({
    format: z.enum(IMPORT_FORMATS, "must be csv, ndjson, json or syslog").optional(),
    tz: TimeZone.default("UTC"),
    "dry-run": z.boolean().default(false),
    "legacy-key": z.string().min(1, "must not be empty").optional(),
    json: z.boolean().default(false),
  }),
  main: async ({ format, tz, "dry-run": dryRun, "legacy-key": legacyKey, json }, positionals) => {
    if (positionals.length !== 1) {
      console.error(
        `error: name one file to import${positionals.length > 1 ? `, not ${positionals.length}` : ""}\n\n${usage}`,
      );
      return EXIT_USAGE;
    }
    const file = positionals[0]!;
    let size: number;
    let writtenAt: Date;
    try {
      const stats = statSync(file);
      if (!stats.isFile()) throw Object.assign(new Error("not a file"), { code: "EISDIR" });
      size = stats.size;
      writtenAt = stats.mtime;
    } catch (error) {
      return fileError(file, error);
    }
    const bar = progressBar("importing (KiB)");
    try {
      const report = await importLogs(await getDb(), createReadStream(file), {
        format,
        fileName: file,
        timeZone: tz,
        writtenAt,
        dryRun,
        legacyKey: legacyKey ?? getConfig().legacyKey,
        keyring: getKeyring(),
        maxFutureSkewMs: getConfig().ingestMaxFutureSkewMs,
        ingestedBy: ingestedByCli("import"),
        actor: CLI_ACTOR,
        onProgress:
          size >= PROGRESS_FROM_BYTES
            ? (bytes) => bar.update(Math.round(bytes / 1024), Math.round(size / 1024))
            : undefined,
      });
      bar.end();
      printReport(report, json);
      return report.refused > 0 ? EXIT_PROBLEM : EXIT_OK;
    } catch (error) {
      bar.end();
      if (error instanceof ImportFileError) {
        console.error(`error: ${file}: ${error.message}`);
        return EXIT_USAGE;
      }
      throw error;
    } finally {
      await flushAuditEvents();
      await closeMongoClient();
    }
  },
});

function fileError(file: string, error: unknown): number {
  const code = (error as { code?: string }).code ?? "";
  if (!FILE_ERRORS.has(code)) throw error;
  const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "not a file" : "permission denied";
  console.error(`error: cannot read ${file}: ${reason}`);
  return EXIT_USAGE;
}

function printReport(report: ImportReport, json: boolean): void {
  if (json) return console.log(JSON.stringify(report, null, 2));
  for (const row of report.refused_rows) {
    console.log(`line ${row.line}: ${row.problems.map((problem) => `${problem.field} ${problem.message}`).join("; ")}`);
  }
  const unlisted = report.refused - report.refused_rows.length;
  if (unlisted > 0)
    console.log(
      `… and ${unlisted.toLocaleString("en-US")} more refused rows (only the first ${report.refused_rows.length.toLocaleString("en-US")} are listed)`,
    );
  console.log(importSummary(report));
}
