import type { Metadata } from "next";
import Link from "next/link";
import { AnomaliesTabs } from "@/components/anomalies/AnomaliesTabs";
import { FindingsRunner } from "@/components/anomalies/findings/FindingsRunner";
import { LogStoreGate } from "@/components/logs/LogStoreGate";
import { PageHeader } from "@/components/ui/PageHeader";
import { ParameterProblems } from "@/components/ui/ParameterProblems";
import { parseFindingsPageParams } from "@/lib/derived/alerts/findings-params";
import { FINDINGS_RANGES } from "@/lib/derived/alerts/page-params";
import { requireUser } from "@/lib/records/auth/page-auth";
import { toSearchParams, type PageSearchParams } from "@/lib/records/logs/explorer-params";

export const metadata: Metadata = { title: "Findings over a range" };

export default async function FindingsPage({ searchParams }: { searchParams: Promise<PageSearchParams> }) {
  const user = await requireUser();
  if (user === "unavailable") return null; // the layout shows the outage
  const parsed = parseFindingsPageParams(toSearchParams(await searchParams));
  return (
    <>
      <PageHeader
        title="Findings over a range"
        description="Every rule but silent sources (which only checkpoints judge) run on demand over a recent range, including a user's new address or unusual hour judged against their last 14 days. Alerts are raised by themselves as logs arrive; this looks again, only when you ask."
      />
      <AnomaliesTabs current="findings" />
      <LogStoreGate emptyText="Findings such as failed-login bursts and logins from unknown networks appear here">
        {"problems" in parsed ? (
          <ParameterProblems title="This address cannot be shown" problems={parsed.problems}>
            Correct it, or{" "}
            <Link className="underline" href="/anomalies/findings">
              start again
            </Link>
            .
          </ParameterProblems>
        ) : (
          <FindingsRunner ranges={FINDINGS_RANGES} initialRange={parsed.view.range} runNow={parsed.view.run} />
        )}
      </LogStoreGate>
    </>
  );
}
