// The /logs page's reading of its URL: the shared filter parameters, with the
// page's own default of the last 24 hours (the API and export cover all time).
import { ApiError } from "@/lib/platform/http/errors";
import type { FieldProblem } from "@/lib/platform/http/validation";
import { isListParameter } from "./filter-names";
import { parseLogFilter, type LogFilter } from "./filters";

export const EXPLORER_DEFAULT_RANGE = "24h";

export type PageSearchParams = Record<string, string | string[] | undefined>;

/** Next.js's searchParams object as URLSearchParams, repeated parameters kept (the filter refuses them by name). */
export function toSearchParams(raw: PageSearchParams): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(raw)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) params.append(name, item);
  }
  return params;
}

export function withDefaultRange(params: URLSearchParams): URLSearchParams {
  const withRange = new URLSearchParams(params);
  if (!["from", "to", "range"].some((name) => withRange.get(name))) withRange.set("range", EXPLORER_DEFAULT_RANGE);
  return withRange;
}

export function parseExplorerFilter(
  params: URLSearchParams,
  now: Date,
): { filter: LogFilter } | { problems: FieldProblem[] } {
  try {
    return { filter: parseLogFilter(withDefaultRange(params), now) };
  } catch (error) {
    if (error instanceof ApiError && error.code === "validation_failed")
      return { problems: (error.details ?? []) as FieldProblem[] };
    throw error;
  }
}

/** The URL's repeatable filters (user=a, exclude_ip=…, meta.k=…) in order, empty ones left out: shown as removable, kept when the form adds one. */
export function listEntries(params: URLSearchParams): [string, string][] {
  return [...params].filter(([name, value]) => value !== "" && isListParameter(name));
}

/** The URL's parameters given once, for the form's fields. */
export function singleValues(params: URLSearchParams): Record<string, string> {
  return Object.fromEntries([...params].filter(([name]) => !isListParameter(name)));
}

/** The URL without one value of a repeatable filter, from the first page. */
export function withoutEntry(params: URLSearchParams, [name, value]: [string, string]): URLSearchParams {
  const kept = new URLSearchParams();
  for (const [each, eachValue] of params) {
    if ((each !== name || eachValue !== value) && each !== "cursor" && each !== "before") kept.append(each, eachValue);
  }
  return kept;
}
