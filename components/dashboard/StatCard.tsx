import type { Route } from "next";
import Link from "next/link";

/** One headline number with a label and an optional line of detail. */
export function StatCard({
  label,
  value,
  detail,
  href,
  tone = "neutral",
}: {
  label: string;
  value: string;
  detail?: React.ReactNode;
  href?: Route;
  tone?: "neutral" | "good" | "bad";
}) {
  const valueColour = tone === "bad" ? "text-red-800" : tone === "good" ? "text-emerald-800" : "text-slate-900";
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">
        {href ? (
          <Link className="hover:underline" href={href}>
            {label}
          </Link>
        ) : (
          label
        )}
      </dt>
      <dd className={`mt-1 text-2xl font-semibold tabular-nums ${valueColour}`}>{value}</dd>
      {detail && <dd className="mt-1 text-xs text-slate-600">{detail}</dd>}
    </div>
  );
}
