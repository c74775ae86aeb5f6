import type { Route } from "next";
import Link from "next/link";
import { LocalTime } from "@/components/logs/LocalTime";
import type { AlertRow } from "@/lib/derived/alerts/alert-rows";
import { ALERT_STATUS_LABELS, ALERT_STATUS_STYLES, FINDING_TYPE_LABELS, SEVERITY_STYLES } from "./labels";

const cell = "py-2 pr-4 align-top";

/** How long ago, in the largest whole unit. */
export function ageText(ms: number): string {
  const minutes = Math.max(Math.floor(ms / 60_000), 0);
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h`;
  return `${Math.floor(minutes / 1440)} d`;
}

export function subjectText(row: Pick<AlertRow, "ip" | "user" | "source">): string {
  return [row.ip, row.user && `user ${row.user}`, row.source && `source ${row.source}`].filter(Boolean).join(", ");
}

export function SeverityBadge({ severity }: { severity: AlertRow["severity"] }) {
  return (
    <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ${SEVERITY_STYLES[severity]}`}>
      {severity}
    </span>
  );
}

/** An alert's cells after its checkbox: the table's columns in order. */
export function AlertCells({ row, now }: { row: AlertRow; now: number }) {
  return (
    <>
      <td className={cell}>
        <SeverityBadge severity={row.severity} />
      </td>
      <td className={cell}>
        <Link
          href={`/anomalies/${encodeURIComponent(row.id)}` as Route}
          className="font-medium text-sky-800 underline-offset-2 hover:underline"
        >
          {FINDING_TYPE_LABELS[row.type]}
        </Link>
      </td>
      <td className={`${cell} break-all`}>
        {row.ip && <span className="font-mono">{row.ip}</span>}
        {row.ip && row.user && <br />}
        {row.user && <span>user {row.user}</span>}
        {!row.ip && !row.user && row.source && <span>source {row.source}</span>}
      </td>
      <td className={cell}>
        <LocalTime iso={new Date(row.start).toISOString()} />
      </td>
      <td className={cell}>
        <LocalTime iso={new Date(row.end).toISOString()} />
      </td>
      <td className={`${cell} tabular-nums`}>{row.count}</td>
      <td className={cell}>
        <span
          className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ${ALERT_STATUS_STYLES[row.status] ?? ""}`}
        >
          {ALERT_STATUS_LABELS[row.status] ?? row.status}
        </span>
      </td>
      <td className={`${cell} whitespace-nowrap tabular-nums`}>{ageText(now - row.created)}</td>
      <td className={`${cell} text-xs text-slate-600`}>
        {row.changed_at !== undefined ? (
          <>
            <LocalTime iso={new Date(row.changed_at).toISOString()} />
            <br />
            by {row.changed_by}
          </>
        ) : (
          "none"
        )}
      </td>
    </>
  );
}
