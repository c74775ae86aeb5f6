// What to analyse: the time range and finding types asked for by the
// /anomalies page, GET /api/anomalies and `npm run anomalies`, one schema for
// all three, with the defaults (the last 24 hours, every type) applied once.
import { z } from "zod";
import { getConfig } from "@/lib/foundation/config";
import { FINDING_TYPES, SEVERITIES, type Finding, type FindingType } from "./finding";

export const DEFAULT_RANGE_MS = 24 * 3_600_000;

const IsoInstant = z.iso
  .datetime({ offset: true, message: "must be an ISO 8601 date-time with an offset or Z, e.g. 2026-01-31T12:00:00Z" })
  .transform((text) => new Date(text));

/** "a,b", ["a", "b,c"]: repeated and comma-separated alike, each a known finding type. */
const FindingTypes = z.union([z.string(), z.array(z.string())]).transform((value, ctx): FindingType[] => {
  const items = (Array.isArray(value) ? value : [value]).flatMap((item) => item.split(",")).map((item) => item.trim());
  const unknown = items.filter((item) => !(FINDING_TYPES as readonly string[]).includes(item));
  if (unknown.length > 0) {
    ctx.addIssue({
      code: "custom",
      message: `unknown finding type ${unknown.map((item) => `"${item}"`).join(", ")}; use ${FINDING_TYPES.join(", ")}`,
    });
    return z.NEVER;
  }
  return [...new Set(items as FindingType[])];
});

export const SeverityName = z.enum(SEVERITIES, { message: `must be one of ${SEVERITIES.join(", ")}` });

/** The fields, for schemas that add their own (the CLI's flags). */
export const ANOMALY_QUERY_FIELDS = {
  from: IsoInstant.optional(),
  to: IsoInstant.optional(),
  type: FindingTypes.optional(),
};

/** A reversed range, or a `from` further than ANOMALIES_MAX_RANGE_DAYS before `to` (or now): detection reads every log of the range. */
export function checkAnomalyRange({ from, to }: { from?: Date; to?: Date }, ctx: z.RefinementCtx): void {
  // Runs even when a field failed to parse: then there is nothing to compare.
  if (!(from instanceof Date) || (to !== undefined && !(to instanceof Date))) return;
  const end = to ?? new Date();
  if (from.getTime() > end.getTime()) {
    if (to) ctx.addIssue({ code: "custom", message: "must not be after to", path: ["from"] });
    return;
  }
  const maxMs = getConfig().anomaliesMaxRangeMs;
  if (end.getTime() - from.getTime() > maxMs) {
    const days = maxMs / 86_400_000;
    ctx.addIssue({
      code: "custom",
      message: `must be at most ${days} days before ${to ? "to" : "now (to's default)"} (ANOMALIES_MAX_RANGE_DAYS); analyse a longer period in parts`,
      path: ["from"],
    });
  }
}

export const AnomalyRangeParams = z.strictObject(ANOMALY_QUERY_FIELDS).superRefine(checkAnomalyRange);
export type AnomalyRangeParams = z.infer<typeof AnomalyRangeParams>;

/**
 * URL query parameters as the schema reads them: a repeated name gives an array. Own
 * properties, so that __proto__ is a parameter the schema refuses by name, not the prototype.
 */
export function anomalyRangeInput(params: URLSearchParams): Record<string, string | string[]> {
  return Object.fromEntries(
    [...new Set(params.keys())].map((name) => {
      const values = params.getAll(name);
      return [name, values.length === 1 ? values[0]! : values];
    }),
  );
}

export type AnomalyRange = { from: Date; to: Date; types?: readonly FindingType[] };

/** The query with its defaults: `to` now, `from` 24 hours before `to`, every type. */
export function resolveAnomalyRange(query: AnomalyRangeParams, now = new Date()): AnomalyRange {
  const to = query.to ?? now;
  const from = query.from ?? new Date(to.getTime() - DEFAULT_RANGE_MS);
  return { from, to, ...(query.type && { types: query.type }) };
}

/** Whether any finding reaches `severity` (for --fail-on). */
export function reachesSeverity(findings: readonly Finding[], severity: (typeof SEVERITIES)[number]): boolean {
  const floor = SEVERITIES.indexOf(severity);
  return findings.some((finding) => SEVERITIES.indexOf(finding.severity) >= floor);
}
