import type { Route } from "next";
import Link from "next/link";

const TABS = [
  { key: "alerts", label: "Alerts", href: "/anomalies" },
  { key: "findings", label: "Findings over a range", href: "/anomalies/findings" },
  { key: "suppressions", label: "Suppression rules", href: "/anomalies/suppressions" },
] as const satisfies readonly { key: string; label: string; href: string }[];

/** The anomalies section's pages, as links. */
export function AnomaliesTabs({ current }: { current: (typeof TABS)[number]["key"] }) {
  return (
    <nav aria-label="Anomalies sections" className="mb-6 flex gap-1 border-b border-slate-200 text-sm">
      {TABS.map((tab) => (
        <Link
          key={tab.key}
          href={tab.href as Route}
          aria-current={tab.key === current ? "page" : undefined}
          className={
            tab.key === current
              ? "-mb-px border-b-2 border-slate-900 px-3 py-2 font-semibold text-slate-900"
              : "-mb-px border-b-2 border-transparent px-3 py-2 font-medium text-slate-600 hover:border-slate-300 hover:text-slate-900"
          }
        >
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
