import type { Metadata } from "next";
import { LogStoreGate } from "@/components/logs/LogStoreGate";
import { Card } from "@/components/ui/Card";
import { PageHeader } from "@/components/ui/PageHeader";
import { requireUser } from "@/lib/auth/page-auth";

export const metadata: Metadata = { title: "Anomalies" };

export default async function AnomaliesPage() {
  await requireUser();
  return (
    <>
      <PageHeader title="Anomalies" description="Failed-login bursts, password spraying, unknown networks and odd-hour access." />
      <LogStoreGate emptyText="Findings such as failed-login bursts and logins from unknown networks appear here">
        <Card title="Logs are arriving">Detection of failed-login bursts, spraying and unknown networks is on its way.</Card>
      </LogStoreGate>
    </>
  );
}
