import type { Metadata } from "next";
import Link from "next/link";
import { DashboardControls } from "@/components/dashboard/DashboardControls";
import { DashboardView } from "@/components/dashboard/DashboardView";
import { LogStoreGate } from "@/components/logs/LogStoreGate";
import { PageHeader } from "@/components/ui/PageHeader";
import { ParameterProblems } from "@/components/ui/ParameterProblems";
import { requireUser } from "@/lib/records/auth/page-auth";
import { getDashboard } from "@/lib/features/dashboard/get-dashboard";
import { parseDashboardParams } from "@/lib/features/dashboard/params";
import { getDb } from "@/lib/platform/db/client";
import { toSearchParams, type PageSearchParams } from "@/lib/records/logs/explorer-params";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage({ searchParams }: { searchParams: Promise<PageSearchParams> }) {
  const user = await requireUser();
  if (user === "unavailable") return null; // the layout shows the outage
  const params = toSearchParams(await searchParams);
  const now = new Date();
  const parsed = parseDashboardParams(params, now);
  return (
    <>
      <PageHeader
        title="Dashboard"
        description="Event volume, failure rates, top offenders and open alerts at a glance."
      />
      <LogStoreGate emptyText="Charts of event volume and failures appear here">
        <div className="space-y-6">
          <DashboardControls
            range={"query" in parsed ? parsed.query.range : (params.get("range") ?? undefined)}
            tz={"query" in parsed ? parsed.query.tz : "UTC"}
          />
          {"problems" in parsed ? (
            <ParameterProblems title="This dashboard link cannot be used" problems={parsed.problems}>
              Choose a range above, or{" "}
              <Link className="underline" href="/dashboard">
                go back to the last 24 hours
              </Link>
              .
            </ParameterProblems>
          ) : (
            <DashboardView dashboard={await getDashboard(await getDb(), parsed.query, now)} />
          )}
        </div>
      </LogStoreGate>
    </>
  );
}
