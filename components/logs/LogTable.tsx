import Link from "next/link";
import type { MacVerdict } from "@/lib/records/integrity/mac";
import { IntegrityBadge } from "./IntegrityBadge";
import { LocalTime } from "./LocalTime";
import { StatusBadge } from "./StatusBadge";

export type LogRow = {
  log_id: string;
  time: string;
  status: string;
  user: string;
  ip?: string;
  action: string;
  source?: string;
  ingested_by?: string;
  /** How the page names ingested_by (an API key by its name). */
  ingested_by_label: string;
  message?: string;
  verdict: MacVerdict;
};

const MESSAGE_PREVIEW = 120;

/** The explorer's table; `filterBy` builds the link that narrows the list to one user or ip. */
export function LogTable({
  rows,
  timeZone,
  timeHeader,
  filterBy,
}: {
  rows: LogRow[];
  timeZone?: string;
  timeHeader: React.ReactNode;
  filterBy: (field: "user" | "ip" | "ingested_by", value: string) => `/logs?${string}`;
}) {
  const cell = "py-2 pr-4 align-top";
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="w-full min-w-[64rem] text-left text-sm">
        <caption className="sr-only">Logs matching the filters</caption>
        <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="py-2 pr-4 pl-4">
              {timeHeader}
            </th>
            {["Status", "User", "IP", "Action", "Source", "Message", "Ingested by", "Integrity"].map((column) => (
              <th key={column} scope="col" className="py-2 pr-4">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.log_id} className="border-b border-slate-100 hover:bg-slate-50" data-log-id={row.log_id}>
              <td className={`${cell} pl-4`}>
                <Link
                  href={{ pathname: `/logs/${encodeURIComponent(row.log_id)}` }}
                  className="text-sky-800 underline-offset-2 hover:underline"
                  aria-label={`Details of log ${row.log_id}`}
                >
                  <LocalTime iso={row.time} timeZone={timeZone} />
                </Link>
              </td>
              <td className={cell}>
                <StatusBadge status={row.status} />
              </td>
              <td className={`${cell} max-w-[12rem] break-words`}>
                <Link href={filterBy("user", row.user)} className="hover:underline" title={`Only logs of ${row.user}`}>
                  {row.user}
                </Link>
              </td>
              <td className={`${cell} font-mono text-xs`}>
                {row.ip === undefined ? (
                  "—"
                ) : (
                  <Link href={filterBy("ip", row.ip)} className="hover:underline" title={`Only logs from ${row.ip}`}>
                    {row.ip}
                  </Link>
                )}
              </td>
              <td className={`${cell} break-words`}>{row.action}</td>
              <td className={`${cell} break-words`}>{row.source ?? "—"}</td>
              <td className={`${cell} max-w-[20rem] break-words text-slate-600`} title={row.message}>
                {preview(row.message)}
              </td>
              <td className={`${cell} max-w-[12rem] break-words text-xs text-slate-600`}>
                {row.ingested_by === undefined ? (
                  "—"
                ) : (
                  <Link
                    href={filterBy("ingested_by", row.ingested_by)}
                    className="hover:underline"
                    title={`Only logs stored by ${row.ingested_by}`}
                  >
                    {row.ingested_by_label}
                  </Link>
                )}
              </td>
              <td className={cell}>
                <IntegrityBadge verdict={row.verdict} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function preview(message: string | undefined): string {
  if (!message) return "—";
  const oneLine = message.replace(/\s+/g, " ");
  return oneLine.length > MESSAGE_PREVIEW ? `${oneLine.slice(0, MESSAGE_PREVIEW)}…` : oneLine;
}
