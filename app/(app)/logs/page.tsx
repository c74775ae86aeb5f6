import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { ActiveFilters } from "@/components/logs/ActiveFilters";
import { LiveToggle } from "@/components/logs/LiveToggle";
import { LogFilters } from "@/components/logs/LogFilters";
import { LogStoreGate } from "@/components/logs/LogStoreGate";
import { logRowsOf } from "@/components/logs/log-rows";
import { LogTable } from "@/components/logs/LogTable";
import { MatchCount } from "@/components/logs/MatchCount";
import { TimeDisplayToggle } from "@/components/logs/TimeDisplayToggle";
import { secondaryButton } from "@/components/ui/buttons";
import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader } from "@/components/ui/PageHeader";
import { ParameterProblems } from "@/components/ui/ParameterProblems";
import type { Actor } from "@/lib/records/audit/security-events";
import { pageActor, requireUser } from "@/lib/records/auth/page-auth";
import { getDb } from "@/lib/platform/db/client";
import {
  listEntries,
  parseExplorerFilter,
  singleValues,
  toSearchParams,
  type PageSearchParams,
} from "@/lib/records/logs/explorer-params";
import { filterToSearchParams, type ExportFormat, type LogFilter } from "@/lib/records/logs/filters";
import { searchLogPage } from "@/lib/features/explorer/audited-reads";
import { ingestedByNamer } from "@/lib/features/explorer/ingested-by-labels";

export const metadata: Metadata = { title: "Logs" };

export default async function LogsPage({ searchParams }: { searchParams: Promise<PageSearchParams> }) {
  const user = await requireUser();
  if (user === "unavailable") return null; // the layout shows the outage
  const params = toSearchParams(await searchParams);
  const parsed = parseExplorerFilter(params, new Date());
  return (
    <>
      <PageHeader title="Logs" description="Search, filter and export every signed security event." />
      <LogStoreGate emptyText="Logs will be listed here, newest first,">
        <div className="space-y-4">
          {/* Keyed by the URL: after a submit, a removed filter or the back button, the form shows what the URL holds. */}
          <LogFilters key={params.toString()} values={singleValues(params)} lists={listEntries(params)} />
          <ActiveFilters params={params} />
          {"problems" in parsed ? (
            <ParameterProblems title="These filters cannot be used" problems={parsed.problems}>
              Correct them above, or{" "}
              <Link className="underline" href="/logs">
                start again from the last 24 hours
              </Link>
              .
            </ParameterProblems>
          ) : (
            <Results
              filter={parsed.filter}
              range={params.get("from") || params.get("to") ? undefined : (params.get("range") ?? undefined)}
              actor={await pageActor(user)}
            />
          )}
        </div>
      </LogStoreGate>
    </>
  );
}

/** `range`: the relative range the URL asked for, which links keep so that a live view keeps sliding. */
async function Results({ filter, range, actor }: { filter: LogFilter; range: string | undefined; actor: Actor }) {
  const db = await getDb();
  const [page, nameIngestedBy] = await Promise.all([searchLogPage(db, filter, actor, "page"), ingestedByNamer(db)]);
  const rows = logRowsOf(page.items, nameIngestedBy);
  const base = { ...filter, cursor: undefined, before: undefined };
  const link = (changes: Partial<LogFilter>, page: Record<string, string> = {}): `/logs?${string}` => {
    const query = filterToSearchParams({ ...base, ...changes });
    if (range && !("from" in changes)) {
      query.delete("from");
      query.delete("to");
      query.set("range", range);
    }
    for (const [name, value] of Object.entries(page)) query.set(name, value);
    return `/logs?${query}`;
  };
  // The export gets the absolute window on screen, so the file holds exactly these rows' filter.
  const exportLink = (format: ExportFormat) =>
    `/api/logs/export?${filterToSearchParams({ ...base, limit: 50, format })}`;
  const firstPage = !filter.cursor && !filter.before;

  return (
    <section aria-label="Results" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3 text-sm text-slate-700">
        <p aria-live="polite">
          <Suspense fallback={<span>Counting matching logs…</span>}>
            <MatchCount criteria={filter} />
          </Suspense>
          {" · "}
          {filter.from && filter.to
            ? `${filter.from.toISOString().slice(0, 16).replace("T", " ")} – ${filter.to.toISOString().slice(0, 16).replace("T", " ")} UTC`
            : "all time"}
        </p>
        <div className="flex flex-wrap items-center gap-4">
          <LiveToggle available={firstPage} />
          <TimeDisplayToggle />
          <a className={secondaryButton} href={exportLink("csv")} download>
            Download CSV
          </a>
          <a
            className={secondaryButton}
            href={exportLink("xlsx")}
            download
            title="The same logs as an Excel workbook: text stays text, times are dates (UTC)"
          >
            Excel
          </a>
          <a
            className={secondaryButton}
            href={exportLink("ndjson")}
            download
            title="Every matching log with the signed checkpoints that prove it (npm run verify -- --file)"
          >
            Verifiable export
          </a>
        </div>
      </div>
      {rows.length === 0 ? (
        <EmptyState title="No logs match these filters">
          <p>
            Widen the time range, remove a filter, or check the spelling: user, action and source must match exactly,
            and the search looks for the text anywhere in the message, user and action.
          </p>
          <p>
            <Link
              className="underline"
              href={link({
                from: undefined,
                to: undefined,
                status: undefined,
                ip: undefined,
                user: undefined,
                action: undefined,
                source: undefined,
                ingested_by: undefined,
                meta: undefined,
                q: undefined,
                exclude: undefined,
              })}
            >
              Clear all filters
            </Link>
          </p>
        </EmptyState>
      ) : (
        <LogTable
          rows={rows}
          timeZone={filter.tz}
          filterBy={(field, value) => link({ [field]: [value] })}
          timeHeader={
            <Link
              href={link({ sort: filter.sort === "desc" ? "asc" : "desc" })}
              className="inline-flex items-center gap-1 hover:underline"
              aria-label={`Time, ${filter.sort === "desc" ? "newest" : "oldest"} first; change the order`}
            >
              Time <span aria-hidden>{filter.sort === "desc" ? "↓" : "↑"}</span>
            </Link>
          }
        />
      )}
      <nav aria-label="Pages" className="flex justify-between">
        {page.prevCursor ? (
          <Link className={secondaryButton} href={link({}, { before: page.prevCursor })} rel="prev">
            ← {filter.sort === "desc" ? "Newer" : "Older"}
          </Link>
        ) : (
          <span />
        )}
        {page.nextCursor && (
          <Link className={secondaryButton} href={link({}, { cursor: page.nextCursor })} rel="next">
            {filter.sort === "desc" ? "Older" : "Newer"} →
          </Link>
        )}
      </nav>
    </section>
  );
}
