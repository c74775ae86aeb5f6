import Link from "next/link";
import { LogTable, type LogRow } from "@/components/logs/LogTable";
import { secondaryButton } from "@/components/ui/buttons";
import { EmptyState } from "@/components/ui/EmptyState";
import type { LogPage } from "@/lib/records/logs/log-page";

/** A page of the alert's logs, oldest first, each linking to its detail, with links to the pages around it. */
export function AlertLogs({
  alertId,
  rows,
  page,
  explorer,
}: {
  alertId: string;
  rows: LogRow[];
  page: Pick<LogPage<unknown>, "nextCursor" | "prevCursor">;
  explorer: { pathname: "/logs"; query: Record<string, string> };
}) {
  const here = (query: Record<string, string>) => ({
    pathname: `/anomalies/${encodeURIComponent(alertId)}`,
    query,
    hash: "logs",
  });
  return (
    <section aria-labelledby="logs" className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 id="logs" className="text-lg font-semibold">
            Logs in the alert&apos;s window
          </h2>
          <p className="text-sm text-slate-600">
            The subject&apos;s logs from the first to the last event, oldest first.
          </p>
        </div>
        <Link className={secondaryButton} href={explorer}>
          Open in the log explorer
        </Link>
      </div>
      {rows.length === 0 ? (
        <EmptyState title="No logs to show">
          <p>
            The logs of this window are no longer stored (retention may have removed them), or are not searchable yet.
          </p>
        </EmptyState>
      ) : (
        <LogTable
          rows={rows}
          timeHeader="Time"
          filterBy={(field, value) => `/logs?${new URLSearchParams({ ...explorer.query, [field]: value })}`}
        />
      )}
      <nav aria-label="Pages of logs" className="flex justify-between">
        {page.prevCursor ? (
          <Link className={secondaryButton} href={here({ before: page.prevCursor })} rel="prev">
            ← Earlier
          </Link>
        ) : (
          <span />
        )}
        {page.nextCursor && (
          <Link className={secondaryButton} href={here({ cursor: page.nextCursor })} rel="next">
            Later →
          </Link>
        )}
      </nav>
    </section>
  );
}
