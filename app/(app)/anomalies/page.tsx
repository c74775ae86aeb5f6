import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { AlertList } from "@/components/anomalies/AlertList";
import { ChoiceLinks } from "@/components/anomalies/ChoiceLinks";
import { FindingList } from "@/components/anomalies/FindingList";
import { ALERT_STATUS_LABELS } from "@/components/anomalies/labels";
import { LogStoreGate } from "@/components/logs/LogStoreGate";
import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader } from "@/components/ui/PageHeader";
import { ParameterProblems } from "@/components/ui/ParameterProblems";
import { ALERT_STATUSES } from "@/lib/alerts/alerts";
import { DEFAULT_FINDINGS_RANGE, FINDINGS_RANGES, parseAnomaliesPageParams, type AnomaliesPageView } from "@/lib/alerts/page-params";
import { findAlertsForPage } from "@/lib/alerts/query";
import { requireUser } from "@/lib/auth/page-auth";
import { hasRole } from "@/lib/auth/roles";
import { getDb } from "@/lib/db/client";
import { toSearchParams, type PageSearchParams } from "@/lib/logs/explorer-params";

export const metadata: Metadata = { title: "Anomalies" };

export default async function AnomaliesPage({ searchParams }: { searchParams: Promise<PageSearchParams> }) {
  const user = await requireUser();
  if (user === "unavailable") return null; // the layout shows the outage
  const parsed = parseAnomaliesPageParams(toSearchParams(await searchParams));
  return (
    <>
      <PageHeader title="Anomalies" description="Failed-login bursts, password spraying, unknown networks, odd-hour access and sources gone silent: alerts raised as logs arrive (or stop), and findings over any recent range." />
      <LogStoreGate emptyText="Findings such as failed-login bursts and logins from unknown networks appear here">
        {"problems" in parsed ? (
          <ParameterProblems title="This address cannot be shown" problems={parsed.problems}>
            Correct it, or <Link className="underline" href="/anomalies">show every alert and the last 24 hours of findings</Link>.
          </ParameterProblems>
        ) : (
          <div className="space-y-10">
            <Alerts view={parsed.view} canChange={hasRole(user.role, "analyst")} />
            <Findings view={parsed.view} />
          </div>
        )}
      </LogStoreGate>
    </>
  );
}

/** The links keep the other part's choice. */
const queryOf = (view: AnomaliesPageView, changes: { status?: string; range?: string }) => {
  const query = { ...(view.status && { status: view.status }), range: view.range.value, ...changes };
  return Object.fromEntries(Object.entries(query).filter(([name, value]) => value && !(name === "range" && value === DEFAULT_FINDINGS_RANGE)));
};

async function Alerts({ view, canChange }: { view: AnomaliesPageView; canChange: boolean }) {
  const { alerts, isTruncated } = await findAlertsForPage(await getDb(), view.status);
  const choices = [
    { label: "All", query: queryOf(view, { status: "" }), isCurrent: !view.status },
    ...ALERT_STATUSES.map((status) => ({ label: ALERT_STATUS_LABELS[status], query: queryOf(view, { status }), isCurrent: view.status === status })),
  ];
  return (
    <section aria-labelledby="alerts-title" className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 id="alerts-title" className="text-lg font-semibold">Alerts</h2>
          <p className="text-sm text-slate-600">
            Raised as logs arrive, one per subject and window.{" "}
            {canChange
              ? "Acknowledge what you are looking into, resolve what is dealt with."
              : "As a viewer you read them; analysts and administrators acknowledge and resolve them."}
          </p>
        </div>
        <ChoiceLinks label="Status" choices={choices} />
      </div>
      {alerts.length === 0 ? (
        <EmptyState title={view.status ? `No ${view.status} alerts` : "No alerts yet"}>
          {view.status ? (
            <p>
              No alert is {view.status} right now. <Link className="underline" href={{ pathname: "/anomalies", query: queryOf(view, { status: "" }) }}>Show all alerts</Link>.
            </p>
          ) : (
            <p>Alerts appear here within a minute of the logs that raise them, once a checkpoint covers them. The findings below look at any recent range right now.</p>
          )}
        </EmptyState>
      ) : (
        <>
          <AlertList alerts={alerts} canChange={canChange} />
          {isTruncated && <p className="text-sm text-slate-600">Only the latest alerts are listed; filter by status, or read them all with GET /api/alerts.</p>}
        </>
      )}
    </section>
  );
}

function Findings({ view }: { view: AnomaliesPageView }) {
  const choices = FINDINGS_RANGES.map((range) => ({ label: range.label, query: queryOf(view, { range: range.value }), isCurrent: range.value === view.range.value }));
  return (
    <section aria-labelledby="findings-title" className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 id="findings-title" className="text-lg font-semibold">Findings for a time range</h2>
          <p className="text-sm text-slate-600">Every rule but silent sources (which only checkpoints judge) run now over the range, including a user&apos;s new address or unusual hour judged against their last 14 days.</p>
        </div>
        <ChoiceLinks label="Range" choices={choices} />
      </div>
      <Suspense key={view.range.value} fallback={<FindingsLoading label={view.range.label} />}>
        <FindingList range={view.range} />
      </Suspense>
    </section>
  );
}

function FindingsLoading({ label }: { label: string }) {
  return (
    <div aria-busy="true" aria-live="polite" className="space-y-2">
      <p className="text-sm text-slate-600">Looking for anomalies in the {label.toLowerCase()}… every log of the range is read, so this can take a moment.</p>
      <div className="h-24 animate-pulse rounded-lg bg-slate-200" />
    </div>
  );
}
