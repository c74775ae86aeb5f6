import { FILTER_LIMITS, filterToSearchParams } from "@/lib/logs/filters";

/** The log explorer showing a finding's or an alert's logs: its subject (ip, user or both; or a source) over its window, ends included. */
export function logsLinkOf({ ip, user, source, start, end }: { ip?: string; user?: string; source?: string; start: Date; end: Date }) {
  const subject = { ...(ip && { ip: [ip] }), ...(user && { user: [user] }), ...(source && { source: [source] }) };
  const params = filterToSearchParams({ ...subject, from: start, to: end, limit: FILTER_LIMITS.limitDefault, sort: "desc", format: "csv" });
  return { pathname: "/logs" as const, query: Object.fromEntries(params) };
}
