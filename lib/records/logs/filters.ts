// The explorer's query parameters, one set for the /logs page, GET /api/logs
// and GET /api/logs/export: URLSearchParams in, a typed LogFilter with
// absolute times out, and back into parameters for links. The repeatable
// ones (user=a&user=b, exclude_user=c, meta.host.name=d) are read by
// filter-lists.ts; every other parameter is given at most once.
import { z } from "zod";
import { canonicalTimeZone } from "@/lib/foundation/util/local-time";
import { describeIssues, validationError, type FieldProblem } from "@/lib/platform/http/validation";
import { CursorParam, LOG_SORTS, type LogCursor, type LogSort, encodeCursor } from "./cursor";
import { appendValueLists, hasValueLists, parseValueLists, type ValueLists } from "./filter-lists";
import { EXCLUDE_PREFIX, isListParameter, LIST_FIELDS, META_PREFIX } from "./filter-names";
import { Timestamp, text } from "./schemas";

/** CSV for tools, XLSX for spreadsheets, NDJSON (verifiable) for machines and auditors. */
export const EXPORT_FORMATS = ["csv", "xlsx", "ndjson"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const FILTER_LIMITS = { q: 256, tz: 64, limitDefault: 50, limitMax: 500, rangeMaxDays: 3660 } as const;

const RANGE_UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const MAX_RANGE_MS = FILTER_LIMITS.rangeMaxDays * RANGE_UNIT_MS.d;

const Range = z.string().transform((value, ctx) => {
  const match = /^([1-9]\d{0,7})([mhd])$/.exec(value);
  const ms = match ? Number(match[1]) * RANGE_UNIT_MS[match[2] as keyof typeof RANGE_UNIT_MS] : NaN;
  if (!(ms <= MAX_RANGE_MS)) {
    ctx.addIssue({
      code: "custom",
      message: `must be a number of minutes, hours or days such as 15m, 1h, 24h or 7d, at most ${FILTER_LIMITS.rangeMaxDays}d`,
    });
    return z.NEVER;
  }
  return ms;
});

// Spelled as the IANA database does (europe/paris becomes Europe/Paris; Asia/Kolkata stays).
export const TimeZone = z.string().transform((value, ctx) => {
  const timeZone = value.length > FILTER_LIMITS.tz ? undefined : canonicalTimeZone(value);
  if (timeZone === undefined) {
    ctx.addIssue({ code: "custom", message: "must be an IANA time zone such as Europe/Paris or UTC" });
    return z.NEVER;
  }
  return timeZone;
});

const Limit = z.string().transform((value, ctx) => {
  const limit = /^\d{1,3}$/.test(value) ? Number(value) : NaN;
  if (!(limit >= 1 && limit <= FILTER_LIMITS.limitMax)) {
    ctx.addIssue({ code: "custom", message: `must be a whole number from 1 to ${FILTER_LIMITS.limitMax}` });
    return z.NEVER;
  }
  return limit;
});

const DateTime = Timestamp.transform((value) => new Date(value));

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, `must be ${values.map((value) => `'${value}'`).join(" or ")}`);
}

/** The parameters given once, as strings (empty ones left out), checked one by one and together. */
export const LogSearchParams = z
  .strictObject({
    from: DateTime.optional(),
    to: DateTime.optional(),
    range: Range.optional(),
    q: text(FILTER_LIMITS.q).optional(),
    tz: TimeZone.optional(),
    cursor: CursorParam.optional(),
    before: CursorParam.optional(),
    limit: Limit.optional(),
    sort: oneOf(LOG_SORTS).default("desc"),
    format: oneOf(EXPORT_FORMATS).default("csv"),
  })
  .superRefine((params, ctx) => {
    if (params.range !== undefined && (params.from || params.to)) {
      ctx.addIssue({
        code: "custom",
        path: ["range"],
        message: "cannot be combined with from or to; use either a range or from/to",
      });
    }
    if (params.from && params.to && params.to < params.from) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "must not be before from" });
    }
    for (const name of ["cursor", "before"] as const) {
      const cursor = params[name];
      if (cursor && cursor.sort !== params.sort) {
        ctx.addIssue({
          code: "custom",
          path: [name],
          message: `belongs to sort=${cursor.sort}, not sort=${params.sort}; start again from the first page`,
        });
      }
    }
    if (params.cursor && params.before) {
      ctx.addIssue({
        code: "custom",
        path: ["before"],
        message: "cannot be combined with cursor; page forwards with cursor or back with before",
      });
    }
  });

export const LOG_SEARCH_PARAMETERS = Object.keys(LogSearchParams.shape) as (keyof typeof LogSearchParams.shape)[];

const REPEATABLE = [...LIST_FIELDS, `${META_PREFIX}<key>`].join(", ");
const KNOWN_PARAMETERS = `${LOG_SEARCH_PARAMETERS.join(", ")}, and the repeatable ${REPEATABLE}, each also with an ${EXCLUDE_PREFIX} prefix`;

/**
 * Which logs match: every criterion given must hold. A list criterion holds
 * when the log's field has one of its values, and an `exclude` list when the
 * log's field has none of them (a log without the field is never excluded).
 */
export type LogCriteria = ValueLists & {
  from?: Date;
  to?: Date;
  /** Case-insensitive literal substring of message, user or action (lib/records/logs/text-search). */
  q?: string;
  exclude?: ValueLists;
};

export type LogFilter = LogCriteria & {
  /** For showing times; it does not change which logs match. */
  tz?: string;
  cursor?: LogCursor;
  /** The page just before this cursor's row (the newer rows when newest first). */
  before?: LogCursor;
  limit: number;
  sort: LogSort;
  /** The export's format. */
  format: ExportFormat;
};

/**
 * The filter the parameters ask for, a `range` resolved against `now` into
 * from/to. Throws a validation error naming each bad, unknown or repeated
 * parameter.
 */
export function parseLogFilter(searchParams: URLSearchParams, now: Date): LogFilter {
  const { values, lists, problems } = splitParameters(searchParams);
  const { include, exclude, problems: listProblems } = parseValueLists(lists);
  problems.push(...listProblems);
  const result = LogSearchParams.safeParse(values);
  if (!result.success) problems.push(...describeIssues(result.error.issues));
  if (problems.length > 0 || !result.success) throw validationError(problems, "no logs were read");

  const { range, limit, ...params } = result.data;
  const filter: LogFilter = {
    ...withoutUndefined(params),
    ...include,
    ...(hasValueLists(exclude) && { exclude }),
    limit: limit ?? FILTER_LIMITS.limitDefault,
  };
  if (range !== undefined) {
    filter.from = new Date(now.getTime() - range);
    filter.to = new Date(now.getTime());
  }
  return filter;
}

/** Parameters that parseLogFilter reads back as the same filter (defaults left out). */
export function filterToSearchParams(filter: LogFilter): URLSearchParams {
  const params = new URLSearchParams();
  const set = (name: (typeof LOG_SEARCH_PARAMETERS)[number], value: string | undefined) => {
    if (value !== undefined) params.set(name, value);
  };
  set("from", filter.from?.toISOString());
  set("to", filter.to?.toISOString());
  appendValueLists(params, filter);
  appendValueLists(params, filter.exclude, EXCLUDE_PREFIX);
  for (const name of ["q", "tz"] as const) set(name, filter[name]);
  set("cursor", filter.cursor && encodeCursor(filter.cursor));
  set("before", filter.before && encodeCursor(filter.before));
  if (filter.limit !== FILTER_LIMITS.limitDefault) set("limit", String(filter.limit));
  if (filter.sort !== "desc") set("sort", filter.sort);
  if (filter.format !== "csv") set("format", filter.format);
  return params;
}

/** The list parameters' values as given, the other parameters' single values; an HTML form sends its empty fields as name=, which means "no filter". */
function splitParameters(searchParams: URLSearchParams): {
  values: Record<string, string>;
  lists: Map<string, string[]>;
  problems: FieldProblem[];
} {
  const values: Record<string, string> = {};
  const lists = new Map<string, string[]>();
  const problems: FieldProblem[] = [];
  const known = new Set<string>(LOG_SEARCH_PARAMETERS);
  for (const name of new Set(searchParams.keys())) {
    const all = searchParams.getAll(name);
    if (isListParameter(name)) {
      lists.set(name, all);
    } else if (!known.has(name)) {
      problems.push({ field: name, message: `is not a known parameter (known: ${KNOWN_PARAMETERS})` });
    } else if (all.length > 1) {
      problems.push({ field: name, message: `is given ${all.length} times; give it once` });
    } else if (all[0] !== "") {
      values[name] = all[0]!;
    }
  }
  return { values, lists, problems };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
