// Links from the dashboard into the log explorer, over the window counted so
// that the explorer's match count equals the number on the dashboard.
import { FILTER_LIMITS, filterToSearchParams, type LogCriteria } from "@/lib/records/logs/filters";
import type { Dashboard } from "./get-dashboard";

export function explorerLink(
  dashboard: Pick<Dashboard, "window" | "tz">,
  criteria: Omit<LogCriteria, "from" | "to">,
): `/logs?${string}` {
  const params = filterToSearchParams({
    ...criteria,
    from: new Date(dashboard.window.from),
    // The explorer's `to` is inclusive, the dashboard's window is not.
    to: new Date(Date.parse(dashboard.window.to) - 1),
    ...(dashboard.tz !== "UTC" && { tz: dashboard.tz }),
    limit: FILTER_LIMITS.limitDefault,
    sort: "desc",
    format: "csv",
  });
  return `/logs?${params}`;
}
