import { EmptyState } from "@/components/ui/EmptyState";

export function NoLogsYet({ what }: { what: string }) {
  return (
    <EmptyState title="No logs yet">
      <p>{what} as soon as services send their first security events to Ledgerline.</p>
      <p>
        An administrator creates an API key for each service under Settings; the service then posts its events to{" "}
        <code className="font-mono">POST /api/logs</code>.
      </p>
      <p>Every event is signed when it arrives, so what you see here can later be proven untouched.</p>
    </EmptyState>
  );
}
