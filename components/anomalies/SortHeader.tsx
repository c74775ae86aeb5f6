import type { Route } from "next";
import Link from "next/link";
import type { AlertSort } from "@/lib/derived/alerts/list-params";

export type SortLinks = { current: AlertSort; order: "asc" | "desc"; hrefs: Record<AlertSort, Route> };

/** A column header that sorts the list by its column (again: the other way round), as a link so the order is in the address. */
export function SortHeader({ label, sort, links }: { label: string; sort: AlertSort; links: SortLinks }) {
  const isCurrent = links.current === sort;
  const direction = links.order === "desc" ? "descending" : "ascending";
  return (
    <th scope="col" aria-sort={isCurrent ? direction : undefined} className="py-2 pr-4">
      <Link href={links.hrefs[sort]} className="inline-flex items-center gap-1 uppercase hover:text-slate-900">
        {label}
        {isCurrent && <span aria-hidden="true">{links.order === "desc" ? "▼" : "▲"}</span>}
        <span className="sr-only">
          {isCurrent ? `, sorted ${direction}; sort the other way` : ", sort by this column"}
        </span>
      </Link>
    </th>
  );
}
