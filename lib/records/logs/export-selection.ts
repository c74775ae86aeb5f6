// Which logs a verifiable export selects: the filter's criteria as query text
// (kept in the export's header, so an offline verifier applies them again)
// and as a predicate.
import { ApiError } from "@/lib/platform/http/errors";
import type { FieldProblem } from "@/lib/platform/http/validation";
import { isListParameter } from "./filter-names";
import { FILTER_LIMITS, filterToSearchParams, parseLogFilter, type LogCriteria } from "./filters";
import { logMatcher, type MatchableLog } from "./criteria-query";

export type ExportSelection = {
  /** URL query text of the criteria (absolute times); empty for every log. */
  query: string;
  /** The earliest event time the filter accepts, if it has one. */
  from?: Date;
  matches(log: MatchableLog): boolean;
  /**
   * Whether a log known only by its leaf summary (an omitted line: no message,
   * no metadata) certainly matches. Never when the filter excludes metadata
   * values: the summary cannot show that the log has none of them.
   */
  surelyMatches(summary: MatchableLog): boolean;
};

const SINGLE_CRITERIA = new Set(["from", "to", "q"]);

export class SelectionError extends Error {
  override name = "SelectionError";
}

export function exportSelection(criteria: LogCriteria): ExportSelection {
  const { from, to, status, ip, user, action, source, ingested_by, meta, q, exclude } = criteria;
  const only: LogCriteria = { from, to, status, ip, user, action, source, ingested_by, meta, q, exclude };
  const query = filterToSearchParams({
    ...only,
    limit: FILTER_LIMITS.limitDefault,
    sort: "desc",
    format: "csv",
  }).toString();
  const matches = logMatcher(only);
  const excludesMetadata = exclude?.meta !== undefined;
  return { query, from, matches, surelyMatches: (summary) => !excludesMetadata && matches(summary) };
}

/** Reads an export header's filter back; throws SelectionError naming the field. */
export function parseExportSelection(query: string): ExportSelection {
  const params = new URLSearchParams(query);
  const extra = [...params.keys()].filter((name) => !SINGLE_CRITERIA.has(name) && !isListParameter(name));
  if (extra.length > 0) throw new SelectionError(`${extra.join(", ")}: not a filter criterion`);
  try {
    return exportSelection(parseLogFilter(params, new Date()));
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const problems = (error.details ?? []) as FieldProblem[];
    throw new SelectionError(problems.map((p) => `${p.field}: ${p.message}`).join("; ") || error.message);
  }
}
