import type { Metadata } from "next";
import type { Route } from "next";
import Link from "next/link";
import { AlertFilters } from "@/components/anomalies/AlertFilters";
import { AlertTable } from "@/components/anomalies/AlertTable";
import { AnomaliesTabs } from "@/components/anomalies/AnomaliesTabs";
import type { BulkFilter } from "@/components/anomalies/BulkActions";
import { BulkOutcomeMessage, BulkOutcomeProvider } from "@/components/anomalies/BulkOutcome";
import { ChoiceLinks } from "@/components/anomalies/ChoiceLinks";
import { ALERT_STATUS_LABELS } from "@/components/anomalies/labels";
import { LogStoreGate } from "@/components/logs/LogStoreGate";
import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader } from "@/components/ui/PageHeader";
import { ParameterProblems } from "@/components/ui/ParameterProblems";
import { MAX_GROUP_ALERTS } from "@/lib/derived/alerts/alert-json";
import { ALERT_STATUSES } from "@/lib/derived/alerts/alert-record";
import {
  ALERT_SORTS,
  alertListParams,
  parseAlertListParams,
  type AlertListParams,
} from "@/lib/derived/alerts/list-params";
import { listAlerts } from "@/lib/derived/alerts/list-alerts";
import { requireUser } from "@/lib/records/auth/page-auth";
import { hasRole } from "@/lib/records/auth/roles";
import { getDb } from "@/lib/platform/db/client";
import { toSearchParams, type PageSearchParams } from "@/lib/records/logs/explorer-params";

export const metadata: Metadata = { title: "Anomalies" };

export default async function AnomaliesPage({ searchParams }: { searchParams: Promise<PageSearchParams> }) {
  const user = await requireUser();
  if (user === "unavailable") return null; // the layout shows the outage
  const parsed = parseAlertListParams(toSearchParams(await searchParams));
  return (
    <>
      <PageHeader
        title="Anomalies"
        description="Failed-login bursts, password spraying, unknown networks, odd-hour access and sources gone silent: alerts raised as logs arrive (or stop)."
      />
      <AnomaliesTabs current="alerts" />
      <LogStoreGate emptyText="Findings such as failed-login bursts and logins from unknown networks appear here">
        {"problems" in parsed ? (
          <ParameterProblems title="This address cannot be shown" problems={parsed.problems}>
            Correct it, or{" "}
            <Link className="underline" href="/anomalies">
              show the open alerts
            </Link>
            .
          </ParameterProblems>
        ) : (
          <Alerts query={parsed.query} canChange={hasRole(user.role, "analyst")} />
        )}
      </LogStoreGate>
    </>
  );
}

/** The address of the list with some parameters changed (and the first page). */
function hrefOf(query: AlertListParams, changes: Partial<AlertListParams>): Route {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(alertListParams({ ...query, cursor: undefined, ...changes }))) {
    for (const item of [value].flat()) params.append(name, item);
  }
  const text = params.toString();
  return (text ? `/anomalies?${text}` : "/anomalies") as Route;
}

function bulkFilterOf(query: AlertListParams): BulkFilter {
  return {
    status: query.status,
    ...(query.min_severity && { min_severity: query.min_severity }),
    ...(query.type && { type: query.type }),
    ...(query.subject && { subject: query.subject.text }),
    ...(query.from && { from: query.from.toISOString() }),
    ...(query.to && { to: query.to.toISOString() }),
  };
}

async function Alerts({ query, canChange }: { query: AlertListParams; canChange: boolean }) {
  const list = await listAlerts(await getDb(), query);
  const all = ALERT_STATUSES.reduce((sum, status) => sum + list.counts[status], 0);
  const statusChoices = [
    ...ALERT_STATUSES.map((status) => ({
      label: `${ALERT_STATUS_LABELS[status] ?? status} (${list.counts[status]})`,
      status,
    })),
    { label: `All (${all})`, status: "all" as const },
  ].map(({ label, status }) => ({
    label,
    query: alertListParams({ ...query, cursor: undefined, status }),
    isCurrent: query.status === status,
  }));
  const groupChoices = [
    {
      label: "One row per alert",
      query: alertListParams({ ...query, cursor: undefined, group: undefined }),
      isCurrent: !query.group,
    },
    {
      label: "Group by IP",
      query: alertListParams({ ...query, cursor: undefined, group: "ip" }),
      isCurrent: query.group === "ip",
    },
    {
      label: "Group by user",
      query: alertListParams({ ...query, cursor: undefined, group: "user" }),
      isCurrent: query.group === "user",
    },
  ];
  const sort = {
    current: query.sort,
    order: query.order,
    hrefs: Object.fromEntries(
      ALERT_SORTS.map((sort) => [
        sort,
        hrefOf(query, { sort, order: sort === query.sort && query.order === "desc" ? "asc" : "desc" }),
      ]),
    ) as Record<(typeof ALERT_SORTS)[number], Route>,
  };
  const groups = list.groups?.map((group) => ({ ...group, rows: group.rows.slice(0, MAX_GROUP_ALERTS) }));
  return (
    // Keyed by the filters: the outcome stays through the refresh after a change, not onto other filters.
    <BulkOutcomeProvider key={hrefOf(query, {})}>
      <section aria-labelledby="alerts-title" className="space-y-4">
        <h2 id="alerts-title" className="sr-only">
          Alerts
        </h2>
        <div className="flex flex-wrap items-end justify-between gap-3">
          <ChoiceLinks label="Status" choices={statusChoices} />
          <ChoiceLinks label="Rows" choices={groupChoices} />
        </div>
        <AlertFilters query={query} />
        <BulkOutcomeMessage />
        {!list.isIndexed && all > 0 && (
          <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
            The alert index is not built yet, so this list reads every alert and may be slow. The app builds it in the
            background after it starts; <code>npm run db:derive</code> rebuilds it.
          </p>
        )}
        {list.total === 0 ? (
          <EmptyState title="No alerts match">
            <p>
              {all === 0
                ? "Alerts appear here within a minute of the logs that raise them, once a checkpoint covers them."
                : "No alert of this status matches these filters; the tabs above count the other statuses."}{" "}
              <Link className="underline" href={"/anomalies/findings" as Route}>
                Look for findings over a range
              </Link>
              .
            </p>
          </EmptyState>
        ) : (
          <>
            <p className="text-sm text-slate-600" data-testid="alert-total">
              {list.total} alert{list.total === 1 ? "" : "s"} match{list.total === 1 ? "es" : ""}
              {list.groups && `, in ${list.groups.length}${list.next_cursor ? "+" : ""} subjects`}.{" "}
              {canChange
                ? "Select alerts to acknowledge or resolve them with one note."
                : "As a viewer you read them; analysts and administrators acknowledge and resolve them."}
            </p>
            <AlertTable
              rows={groups ? groups.flatMap((group) => group.rows) : list.rows}
              groups={groups}
              total={list.total}
              filter={bulkFilterOf(query)}
              canChange={canChange}
              now={list.readAt}
              sort={sort}
            />
            <nav aria-label="Pages" className="flex gap-4 text-sm">
              {query.cursor && (
                <Link className="underline" href={hrefOf(query, {})}>
                  First page
                </Link>
              )}
              {list.next_cursor && (
                <Link className="underline" href={hrefOf(query, { cursor: list.next_cursor })}>
                  Next page
                </Link>
              )}
            </nav>
          </>
        )}
      </section>
    </BulkOutcomeProvider>
  );
}
