import type { Metadata } from "next";
import { LogStoreGate } from "@/components/logs/LogStoreGate";
import { Card } from "@/components/ui/Card";
import { PageHeader } from "@/components/ui/PageHeader";
import { requireUser } from "@/lib/auth/page-auth";

export const metadata: Metadata = { title: "Integrity" };

export default async function IntegrityPage() {
  await requireUser();
  return (
    <>
      <PageHeader title="Integrity" description="Proof that stored logs are unchanged: signatures, checkpoints and verification runs." />
      <LogStoreGate emptyText="Integrity checks of your logs appear here">
        <Card title="Logs are arriving">Signed checkpoints and the streaming verifier are on their way.</Card>
      </LogStoreGate>
    </>
  );
}
