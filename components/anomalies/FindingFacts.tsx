import Link from "next/link";
import { LocalTime } from "@/components/logs/LocalTime";
import type { Finding } from "@/lib/records/anomaly";
import { logsLinkOf } from "@/lib/derived/alerts/logs-link";
import { SEVERITY_STYLES } from "./labels";

export type FindingView = Pick<Finding, "type" | "severity" | "ip" | "user" | "source" | "count" | "explanation"> & {
  start: string;
  end: string;
};

export function SeverityBadge({ severity }: { severity: Finding["severity"] }) {
  return (
    <span
      className={`inline-flex rounded-full px-2 py-0.5 text-xs font-semibold uppercase tracking-wide ring-1 ${SEVERITY_STYLES[severity]}`}
    >
      <span className="sr-only">Severity </span>
      {severity}
    </span>
  );
}

/** What a finding and an alert have in common: severity, subject, explanation, window, size and the way to its logs. */
export function FindingFacts({ finding, children }: { finding: FindingView; children?: React.ReactNode }) {
  const { ip, user, source, start, end } = finding;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <SeverityBadge severity={finding.severity} />
        {ip && <Subject label="IP" value={ip} />}
        {user && <Subject label="User" value={user} />}
        {source && <Subject label="Source" value={source} />}
        {children}
      </div>
      <p className="text-sm text-slate-800">{finding.explanation}</p>
      <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-600">
        <span>
          <LocalTime iso={start} />
          {end !== start && (
            <>
              {" – "}
              <LocalTime iso={end} />
            </>
          )}
        </span>
        <span>
          {finding.count} {finding.count === 1 ? "log" : "logs"}
        </span>
        <Link
          className="font-medium text-sky-700 underline hover:text-sky-900"
          href={logsLinkOf({ ip, user, source, start: new Date(start), end: new Date(end) })}
        >
          View logs
        </Link>
      </p>
    </div>
  );
}

function Subject({ label, value }: { label: string; value: string }) {
  return (
    <span className="text-sm text-slate-700">
      {label} <span className="break-all font-mono font-medium text-slate-900">{value}</span>
    </span>
  );
}
