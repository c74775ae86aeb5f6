"use client";

import { useApiRequest } from "@/components/forms/use-api-request";
import { primaryButton, textInput } from "@/components/ui/buttons";
import { TableHead } from "@/components/ui/TableHead";
import type { ImportReport } from "@/lib/features/import/import-report";
import { importSummary } from "@/lib/features/import/summary";

const REFUSED_SHOWN = 20;

// Everything in the report comes from the uploaded file: it is shown as text only.
export function ImportPanel() {
  const { isBusy, problem, result: report, reset, send } = useApiRequest<ImportReport>();

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    reset();
    // A dry run stores nothing, so the page has nothing new to show.
    await send("POST", "/api/import", form, { keep: true, refresh: !form.has("dry_run") });
  }

  return (
    <section aria-labelledby="import-title" className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h2 id="import-title" className="text-base font-semibold">
        Import logs
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        A CSV exported by the original project, or Ledgerline&apos;s own CSV or NDJSON export, NDJSON/JSON log objects,
        or syslog lines such as auth.log (one log per sshd, sudo or su attempt). Logs are checked and signed as if sent
        to the API; importing a file again stores nothing twice. Large files:{" "}
        <code className="font-mono">npm run import</code>.
      </p>

      <form onSubmit={submit} className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-4 lg:items-end">
        <div className="lg:col-span-2">
          <label htmlFor="import-file" className="block text-sm font-medium text-slate-700">
            File
          </label>
          <input
            id="import-file"
            name="file"
            type="file"
            required
            accept=".csv,.ndjson,.jsonl,.json,.log,text/csv,application/json,text/plain"
            className={`mt-1 ${textInput}`}
          />
        </div>
        <div>
          <label htmlFor="import-format" className="block text-sm font-medium text-slate-700">
            Format
          </label>
          <select id="import-format" name="format" defaultValue="auto" className={`mt-1 ${textInput}`}>
            <option value="auto">automatic</option>
            <option value="csv">CSV</option>
            <option value="ndjson">NDJSON</option>
            <option value="json">JSON array</option>
            <option value="syslog">syslog lines (auth.log, times in UTC)</option>
          </select>
        </div>
        <div>
          <label htmlFor="import-legacy-key" className="block text-sm font-medium text-slate-700">
            Legacy key <span className="font-normal text-slate-500">(optional)</span>
          </label>
          <input
            id="import-legacy-key"
            name="legacy_key"
            type="password"
            autoComplete="off"
            className={`mt-1 ${textInput}`}
          />
        </div>
        <label className="flex items-center gap-2 text-sm lg:col-span-2">
          <input type="checkbox" name="dry_run" value="true" /> Dry run: check every row, store nothing
        </label>
        <button type="submit" disabled={isBusy} className={`${primaryButton} lg:col-start-4`}>
          {isBusy ? "Importing…" : "Import"}
        </button>
      </form>
      <p className="mt-2 text-xs text-slate-500">
        The legacy key checks each original row&apos;s <code className="font-mono">log_hash</code>; a row that does not
        match is refused. Without it, the server&apos;s <code className="font-mono">LEDGERLINE_LEGACY_KEY</code> is
        used, if set.
      </p>

      {problem && (
        <p role="alert" className="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {problem}
        </p>
      )}
      {report && <ImportResult report={report} />}
    </section>
  );
}

function ImportResult({ report }: { report: ImportReport }) {
  const refused = report.refused_rows.slice(0, REFUSED_SHOWN);
  return (
    <div role="status" className="mt-4 space-y-3 text-sm" data-testid="import-report">
      <p
        className={`rounded-md px-3 py-2 ${report.refused > 0 ? "bg-amber-50 text-amber-900" : "bg-emerald-50 text-emerald-900"}`}
      >
        {importSummary(report)}
      </p>
      {refused.length > 0 && (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Refused rows</caption>
            <TableHead columns={["Line", "Field", "Problem"]} />
            <tbody>
              {refused.flatMap((row) =>
                row.problems.map((problem, index) => (
                  <tr key={`${row.line}-${index}`} className="border-b border-slate-100 align-top">
                    <td className="py-1.5 pr-4 font-mono">{index === 0 ? `line ${row.line}` : ""}</td>
                    <td className="py-1.5 pr-4 font-mono text-xs">{problem.field}</td>
                    <td className="py-1.5 break-words">{problem.message}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
          {report.refused > refused.length && (
            <p className="mt-2 text-xs text-slate-500">
              The first {refused.length} of {report.refused.toLocaleString("en-US")} refused rows;{" "}
              <code className="font-mono">npm run import -- FILE --dry-run</code> lists them all.
            </p>
          )}
        </div>
      )}
    </div>
  );
}
