import Link from "next/link";
import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader } from "@/components/ui/PageHeader";

/** The detail page of an address that names no alert, saying why, with the way back to the list. */
export function NoSuchAlert({ title, tone, children }: { title: string; tone?: "error"; children: React.ReactNode }) {
  return (
    <>
      <PageHeader title="Alert" description="One alert, its logs and its history." />
      <EmptyState title={title} tone={tone}>
        {children}
        <p>
          <Link className="underline" href="/anomalies">
            Go to the alerts
          </Link>
        </p>
      </EmptyState>
    </>
  );
}
