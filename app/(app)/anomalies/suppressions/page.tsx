import type { Metadata } from "next";
import Link from "next/link";
import { MuteFindingsForm } from "@/components/anomalies/suppressions/MuteFindingsForm";
import { SuppressionRuleTable } from "@/components/anomalies/suppressions/SuppressionRuleTable";
import { EmptyState } from "@/components/ui/EmptyState";
import { AnomaliesTabs } from "@/components/anomalies/AnomaliesTabs";
import { PageHeader } from "@/components/ui/PageHeader";
import { suppressionRuleJson } from "@/lib/derived/alerts/suppression-json";
import { listSuppressionRules } from "@/lib/derived/alerts/suppression-store";
import { requireUser } from "@/lib/records/auth/page-auth";
import { hasRole } from "@/lib/records/auth/roles";
import { getDb } from "@/lib/platform/db/client";

export const metadata: Metadata = { title: "Suppression rules" };

export default async function SuppressionRulesPage() {
  const user = await requireUser();
  if (user === "unavailable") return null; // the layout shows the outage
  const canChange = hasRole(user.role, "analyst");
  const now = new Date();
  const rules = (await listSuppressionRules(await getDb(), now)).map((rule) => suppressionRuleJson(rule, now));
  return (
    <>
      <PageHeader
        title="Suppression rules"
        description="Findings analysts expect, muted: a new finding a rule covers is stored as a suppressed alert, not counted as open and not sent to the webhook. Removing a rule leaves the alerts it muted suppressed."
      />
      <AnomaliesTabs current="suppressions" />
      <p className="mb-6 text-sm">
        The alerts rules muted:{" "}
        <Link className="underline" href={{ pathname: "/anomalies", query: { status: "suppressed" } }}>
          suppressed alerts
        </Link>
        .
      </p>
      <div className="space-y-8">
        <section aria-labelledby="rules-title" className="space-y-4">
          <h2 id="rules-title" className="text-lg font-semibold">
            Rules
          </h2>
          {rules.length === 0 ? (
            <EmptyState title="No suppression rules">
              <p>
                Every finding raises an open alert.{" "}
                {canChange
                  ? "Mute one that is expected with the form below, or from an alert's page."
                  : "Analysts and administrators can mute expected findings."}
              </p>
            </EmptyState>
          ) : (
            <SuppressionRuleTable rules={rules} canChange={canChange} />
          )}
        </section>
        {canChange ? (
          <section className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
            <MuteFindingsForm title="New rule" />
          </section>
        ) : (
          <p className="text-sm text-slate-600">
            As a viewer you read the rules; analysts and administrators create and remove them.
          </p>
        )}
      </div>
    </>
  );
}
