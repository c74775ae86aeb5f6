import { Code } from "@/components/ui/Code";
import { EmptyState } from "@/components/ui/EmptyState";

export function DatabaseUnavailable() {
  return (
    <EmptyState title="The database is not reachable" tone="error">
      <p>
        Ledgerline could not reach its database, so nothing can be shown right now. This page recovers by itself once
        the database is back: reload it.
      </p>
      <p>
        Running locally? Start the embedded database with <Code>npm run db</Code>, or use{" "}
        <Code>npm run quickstart</Code>, which starts it with the app. Using your own MongoDB? Check{" "}
        <Code>MONGODB_URI</Code> in <Code>.env.local</Code>.
      </p>
    </EmptyState>
  );
}
