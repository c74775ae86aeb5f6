// The dashboard's URL: the explorer's time parameters (range presets or
// from/to, and tz), parsed by the explorer's own schema, default last 24 hours.
import type { FieldProblem } from "@/lib/platform/http/validation";
import { parseExplorerFilter } from "@/lib/records/logs/explorer-params";
import { DAY_MS } from "./window";

export const DASHBOARD_PARAMETERS = ["range", "from", "to", "tz"] as const;
export const DASHBOARD_MAX_DAYS = 366;

export type DashboardParams = {
  from: Date;
  to: Date;
  tz: string;
  /** The relative range asked for, kept by links so a live view slides. */ range?: string;
};

export function parseDashboardParams(
  params: URLSearchParams,
  now: Date,
): { query: DashboardParams } | { problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  for (const name of new Set(params.keys())) {
    if (!(DASHBOARD_PARAMETERS as readonly string[]).includes(name)) {
      problems.push({
        field: name,
        message: `is not a dashboard parameter (known: ${DASHBOARD_PARAMETERS.join(", ")})`,
      });
    }
  }
  const timeParams = new URLSearchParams(
    [...params].filter(([name]) => (DASHBOARD_PARAMETERS as readonly string[]).includes(name)),
  );
  if (timeParams.get("to") && !timeParams.get("from")) problems.push({ field: "from", message: "is needed with to" });
  const parsed = parseExplorerFilter(timeParams, now);
  if ("problems" in parsed) problems.push(...parsed.problems);
  else {
    const { from, to = now } = parsed.filter;
    if (from && to.getTime() - from.getTime() > DASHBOARD_MAX_DAYS * DAY_MS)
      problems.push({ field: "range", message: `must be at most ${DASHBOARD_MAX_DAYS} days on the dashboard` });
    if (problems.length === 0 && from) {
      const range = timeParams.get("from") ? undefined : (timeParams.get("range") ?? "24h");
      return { query: { from, to, tz: parsed.filter.tz ?? "UTC", ...(range && { range }) } };
    }
  }
  return { problems };
}
