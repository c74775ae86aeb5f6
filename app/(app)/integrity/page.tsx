import type { Metadata } from "next";
import { LogStoreGate } from "@/components/logs/LogStoreGate";
import { Card } from "@/components/ui/Card";
import { PageHeader } from "@/components/ui/PageHeader";

export const metadata: Metadata = { title: "Integrity" };

export default function IntegrityPage() {
  return (
    <>
      <PageHeader title="Integrity" description="Proof that stored logs are unchanged: signatures, checkpoints and verification runs." />
      <LogStoreGate emptyText="Integrity checks of your logs appear here">
        <Card title="Logs are arriving">Signed checkpoints and the streaming verifier are on their way.</Card>
      </LogStoreGate>
    </>
  );
}
