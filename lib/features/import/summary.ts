// The one-line summary of an import report, for the CLI, the audit log and the upload form.
import type { ImportReport } from "./import-report";

/** "Imported 9 logs, 1 already there, 2 refused (legacy hashes: 7 verified, 1 mismatched, 2 not checkable)." or, for syslog, "…; 4 lines skipped (3 no security event, 1 same attempt)." */
export function importSummary(report: ImportReport): string {
  const n = (count: number) => count.toLocaleString("en-US");
  const parts = report.dry_run
    ? [
        `Dry run: ${n(report.rows)} rows read, ${n(report.imported)} would be imported, ${n(report.refused)} refused; nothing was stored`,
      ]
    : [`Imported ${n(report.imported)} logs, ${n(report.already_there)} already there, ${n(report.refused)} refused`];
  if (report.legacy) {
    const { verified, mismatched, not_checkable, unchecked } = report.legacy;
    parts.push(
      unchecked > 0
        ? ` (legacy hashes not checked: no legacy key given)`
        : ` (legacy hashes: ${n(verified)} verified, ${n(mismatched)} mismatched, ${n(not_checkable)} not checkable)`,
    );
  }
  if (report.skipped_reasons && report.skipped > 0) {
    const reasons = Object.entries(report.skipped_reasons).map(
      ([reason, count]) => `${n(count)} ${reason.replaceAll("_", " ")}`,
    );
    parts.push(`; ${n(report.skipped)} lines skipped (${reasons.join(", ")})`);
  }
  return `${parts.join("")}.`;
}
