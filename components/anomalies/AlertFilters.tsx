import Link from "next/link";
import { inlineSelect, secondaryButton, textInput } from "@/components/ui/buttons";
import { FINDING_TYPES, SEVERITIES } from "@/lib/records/anomaly";
import type { AlertListParams } from "@/lib/derived/alerts/list-params";
import { FINDING_TYPE_LABELS } from "./labels";

/** The list's filters as a GET form: the address holds them, so a filtered view is shareable and the back button returns to the previous one. */
export function AlertFilters({ query }: { query: AlertListParams }) {
  const types = new Set(query.type ?? []);
  return (
    <form
      method="get"
      action="/anomalies"
      aria-label="Filter alerts"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      {query.status !== "open" && <input type="hidden" name="status" value={query.status} />}
      {query.sort !== "severity" && <input type="hidden" name="sort" value={query.sort} />}
      {query.order !== "desc" && <input type="hidden" name="order" value={query.order} />}
      {query.group && <input type="hidden" name="group" value={query.group} />}
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <label className="block text-sm">
          <span className="font-medium text-slate-700">Minimum severity</span>
          <select name="min_severity" defaultValue={query.min_severity ?? ""} className={`${inlineSelect} mt-1 w-full`}>
            <option value="">Any</option>
            {SEVERITIES.map((severity) => (
              <option key={severity} value={severity}>
                {severity}
              </option>
            ))}
          </select>
        </label>
        <label className="block text-sm">
          <span className="font-medium text-slate-700">Subject</span>
          <input
            name="subject"
            defaultValue={query.subject?.text ?? ""}
            placeholder="IP, CIDR or user"
            className={`${textInput} mt-1`}
          />
        </label>
        <label className="block text-sm">
          <span className="font-medium text-slate-700">From (UTC)</span>
          <input
            name="from"
            defaultValue={query.from?.toISOString() ?? ""}
            placeholder="2026-12-07T00:00:00Z"
            className={`${textInput} mt-1`}
          />
        </label>
        <label className="block text-sm">
          <span className="font-medium text-slate-700">To (UTC)</span>
          <input
            name="to"
            defaultValue={query.to?.toISOString() ?? ""}
            placeholder="2026-12-07T23:59:59Z"
            className={`${textInput} mt-1`}
          />
        </label>
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Types</legend>
        <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-sm">
          {FINDING_TYPES.map((type) => (
            <label key={type} className="inline-flex items-center gap-1.5">
              <input type="checkbox" name="type" value={type} defaultChecked={types.has(type)} />
              {FINDING_TYPE_LABELS[type]}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="flex items-center gap-3">
        <button type="submit" className={secondaryButton}>
          Apply filters
        </button>
        <Link href="/anomalies" className="text-sm underline">
          Clear
        </Link>
      </div>
    </form>
  );
}
