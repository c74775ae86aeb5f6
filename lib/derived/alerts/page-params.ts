// The /anomalies page's URL: `status` filters the stored alerts, `range` (one
// of the explorer's presets) is how far back the on-demand findings look.
import { z } from "zod";
import { parsePageParams } from "@/lib/platform/http/page-params";
import type { FieldProblem } from "@/lib/platform/http/validation";
import type { AlertStatus } from "./alert-record";
import { AlertStatusName } from "./list-alerts";

export const FINDINGS_RANGES = [
  { value: "15m", label: "Last 15 minutes", ms: 15 * 60_000 },
  { value: "1h", label: "Last hour", ms: 3_600_000 },
  { value: "24h", label: "Last 24 hours", ms: 86_400_000 },
  { value: "7d", label: "Last 7 days", ms: 7 * 86_400_000 },
] as const;
export type FindingsRange = (typeof FINDINGS_RANGES)[number];
const RANGE_VALUES = FINDINGS_RANGES.map((range) => range.value) as [
  FindingsRange["value"],
  ...FindingsRange["value"][],
];
export const DEFAULT_FINDINGS_RANGE = "24h";

/** One of FINDINGS_RANGES, by value; the last 24 hours when absent. */
export const FindingsRangeName = z
  .enum(RANGE_VALUES, { message: `must be one of ${RANGE_VALUES.join(", ")}` })
  .default(DEFAULT_FINDINGS_RANGE);

const AnomaliesPageParams = z.strictObject({ status: AlertStatusName.optional(), range: FindingsRangeName });

export type AnomaliesPageView = { status?: AlertStatus; range: FindingsRange };

/** What the page shows, or the problems with its parameters, each named. An empty parameter counts as absent. */
export function parseAnomaliesPageParams(
  params: URLSearchParams,
): { view: AnomaliesPageView } | { problems: FieldProblem[] } {
  const parsed = parsePageParams(AnomaliesPageParams, params);
  if ("problems" in parsed) return parsed;
  const { status, range } = parsed.values;
  return { view: { ...(status && { status }), range: FINDINGS_RANGES.find((preset) => preset.value === range)! } };
}
