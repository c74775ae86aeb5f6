import Link from "next/link";
import { listEntries, withoutEntry } from "@/lib/records/logs/explorer-params";
import { readListParameter } from "@/lib/records/logs/filter-names";
import { listFilterLabel } from "./list-filter-labels";

/**
 * The URL's repeatable filters, grouped by parameter, each value with a link
 * that removes it; shown also when a value is refused, so it can be removed.
 */
export function ActiveFilters({ params }: { params: URLSearchParams }) {
  const groups = new Map<string, string[]>();
  for (const [name, value] of listEntries(params)) groups.set(name, [...(groups.get(name) ?? []), value]);
  if (groups.size === 0) return null;
  return (
    <section aria-labelledby="active-filters-title" className="flex flex-wrap items-center gap-2 text-sm">
      <h2 id="active-filters-title" className="text-xs font-medium text-slate-700">
        Active filters
      </h2>
      <ul className="flex flex-wrap gap-2">
        {[...groups].map(([name, values]) => {
          const excluded = readListParameter(name)?.excluded;
          return (
            <li
              key={name}
              className={`flex flex-wrap items-center gap-1 rounded-md border px-2 py-1 ${excluded ? "border-red-200 bg-red-50" : "border-slate-200 bg-white"}`}
            >
              <span className="text-slate-700">{listFilterLabel(name, values.length)}</span>
              {values.map((value) => (
                <span
                  key={value}
                  className="inline-flex items-center gap-1 rounded-full bg-slate-100 py-0.5 pr-1 pl-2 font-medium text-slate-900"
                >
                  <span className="break-all">{value}</span>
                  <Link
                    href={`/logs?${withoutEntry(params, [name, value])}`}
                    className="rounded-full px-1 text-slate-600 hover:bg-slate-300 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-sky-600"
                    aria-label={`Remove filter: ${listFilterLabel(name, 1)} ${value}`}
                    title="Remove this filter"
                  >
                    <span aria-hidden>×</span>
                  </Link>
                </span>
              ))}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
