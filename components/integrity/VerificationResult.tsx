import type { StoredReport } from "@/lib/records/integrity/reports";
import { TableHead } from "@/components/ui/TableHead";

const SHOWN_PROBLEMS = 100;

export function VerificationResult({ report }: { report: StoredReport }) {
  const when = report.finished_at.toISOString().replace("T", " ").slice(0, 19) + " UTC";
  return (
    <div>
      <p className={`text-sm font-semibold ${report.ok ? "text-emerald-800" : "text-red-800"}`}>
        {report.ok
          ? "✓ No problems found"
          : `✗ ${report.problem_count} problem${report.problem_count === 1 ? "" : "s"} found`}
      </p>
      <p className="mt-1 text-sm text-slate-600">
        {report.checked} logs checked, {report.valid} valid, {report.pending} pending (newer than the last of{" "}
        {report.checkpoints} checkpoints) — run by {report.run_by} at{" "}
        <time dateTime={report.finished_at.toISOString()}>{when}</time>.
      </p>
      {report.problems.length > 0 && (
        <div className="mt-4 overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Integrity problems</caption>
            <TableHead columns={["Kind", "Where", "Log", "Detail"]} />
            <tbody>
              {report.problems.slice(0, SHOWN_PROBLEMS).map((problem, index) => (
                <tr key={index} className="border-b border-slate-100 align-top">
                  <td className="py-2 pr-4 font-medium text-red-800">{problem.kind}</td>
                  <td className="py-2 pr-4">
                    {problem.sequence !== undefined
                      ? `sequence ${problem.sequence}`
                      : `checkpoint ${problem.checkpoint}`}
                  </td>
                  <td className="py-2 pr-4 font-mono text-xs break-all">{problem.log_id ?? "—"}</td>
                  <td className="py-2">{problem.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.problem_count > SHOWN_PROBLEMS && (
            <p className="mt-2 text-sm text-slate-600">
              Showing {SHOWN_PROBLEMS} of {report.problem_count}; run{" "}
              <code className="font-mono">npm run verify -- --json</code> for all.
            </p>
          )}
        </div>
      )}
    </div>
  );
}
