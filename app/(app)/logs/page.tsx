import type { Metadata } from "next";
import { LogStoreGate } from "@/components/logs/LogStoreGate";
import { Card } from "@/components/ui/Card";
import { PageHeader } from "@/components/ui/PageHeader";
import { requireUser } from "@/lib/auth/page-auth";

export const metadata: Metadata = { title: "Logs" };

export default async function LogsPage() {
  await requireUser();
  return (
    <>
      <PageHeader title="Logs" description="Search, filter and export every signed security event." />
      <LogStoreGate emptyText="Logs will be listed here, newest first,">
        <Card title="Logs are arriving">The filterable explorer with CSV export is the next part of Ledgerline to ship.</Card>
      </LogStoreGate>
    </>
  );
}
