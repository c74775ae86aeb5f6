import { FILTER_LIMITS, filterToSearchParams } from "@/lib/logs/filters";

/** The log explorer showing a finding's or an alert's logs: its subject (ip, user or both) over its window, ends included. */
export function logsLinkOf({ ip, user, start, end }: { ip?: string; user?: string; start: Date; end: Date }) {
  const params = filterToSearchParams({ ...(ip && { ip: [ip] }), ...(user && { user: [user] }), from: start, to: end, limit: FILTER_LIMITS.limitDefault, sort: "desc", format: "csv" });
  return { pathname: "/logs" as const, query: Object.fromEntries(params) };
}
