import type { Metadata } from "next";
import { LogStoreGate } from "@/components/logs/LogStoreGate";
import { Card } from "@/components/ui/Card";
import { PageHeader } from "@/components/ui/PageHeader";
import { requireUser } from "@/lib/auth/page-auth";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  await requireUser();
  return (
    <>
      <PageHeader title="Dashboard" description="Event volume, failure rates, top offenders and open alerts at a glance." />
      <LogStoreGate emptyText="Charts of event volume and failures appear here">
        <Card title="Logs are arriving">Charts of event volume, failure rates and top offenders are on their way.</Card>
      </LogStoreGate>
    </>
  );
}
