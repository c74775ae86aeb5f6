// The explorer's query parameters, one set for the /logs page, GET /api/logs
// and GET /api/logs/export: URLSearchParams in, a typed LogFilter with
// absolute times out, and back into parameters for links.
import { z } from "zod";
import { canonicalTimeZone } from "@/lib/anomaly/local-time";
import { describeIssues, validationError, type FieldProblem } from "@/lib/http/validation";
import { InvalidIpError, ipKeyRange } from "@/lib/net/ip";
import { CursorParam, LOG_SORTS, type LogCursor, type LogSort, encodeCursor } from "./cursor";
import { LOG_LIMITS, Timestamp, text } from "./schemas";

export const FILTER_LIMITS = { q: 256, ip: 64, tz: 64, limitDefault: 50, limitMax: 500, rangeMaxDays: 3660 } as const;

const RANGE_UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const MAX_RANGE_MS = FILTER_LIMITS.rangeMaxDays * RANGE_UNIT_MS.d;

const Range = z.string().transform((value, ctx) => {
  const match = /^([1-9]\d{0,7})([mhd])$/.exec(value);
  const ms = match ? Number(match[1]) * RANGE_UNIT_MS[match[2] as keyof typeof RANGE_UNIT_MS] : NaN;
  if (!(ms <= MAX_RANGE_MS)) {
    ctx.addIssue({ code: "custom", message: `must be a number of minutes, hours or days such as 15m, 1h, 24h or 7d, at most ${FILTER_LIMITS.rangeMaxDays}d` });
    return z.NEVER;
  }
  return ms;
});

const IpOrCidr = z.string().superRefine((value, ctx) => {
  if (value.length > FILTER_LIMITS.ip) {
    ctx.addIssue({ code: "custom", message: `must be at most ${FILTER_LIMITS.ip} characters` });
    return;
  }
  try {
    ipKeyRange(value);
  } catch (error) {
    if (!(error instanceof InvalidIpError)) throw error;
    const message = value.includes("/") ? error.message : "must be an IPv4 or IPv6 address, or a CIDR range such as 10.0.3.0/24";
    ctx.addIssue({ code: "custom", message });
  }
});

// Spelled as the IANA database does (europe/paris becomes Europe/Paris; Asia/Kolkata stays).
const TimeZone = z.string().transform((value, ctx) => {
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

/** The parameters as strings (empty ones left out), checked one by one and together. */
export const LogQueryParams = z
  .strictObject({
    from: DateTime.optional(),
    to: DateTime.optional(),
    range: Range.optional(),
    status: oneOf(["success", "failed"]).optional(),
    ip: IpOrCidr.optional(),
    user: text(LOG_LIMITS.user).optional(),
    action: text(LOG_LIMITS.action).optional(),
    source: text(LOG_LIMITS.source).optional(),
    q: text(FILTER_LIMITS.q).optional(),
    tz: TimeZone.optional(),
    cursor: CursorParam.optional(),
    before: CursorParam.optional(),
    limit: Limit.optional(),
    sort: oneOf(LOG_SORTS).default("desc"),
    format: oneOf(["csv", "ndjson"]).default("csv"),
  })
  .superRefine((params, ctx) => {
    if (params.range !== undefined && (params.from || params.to)) {
      ctx.addIssue({ code: "custom", path: ["range"], message: "cannot be combined with from or to; use either a range or from/to" });
    }
    if (params.from && params.to && params.to < params.from) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "must not be before from" });
    }
    for (const name of ["cursor", "before"] as const) {
      const cursor = params[name];
      if (cursor && cursor.sort !== params.sort) {
        ctx.addIssue({ code: "custom", path: [name], message: `belongs to sort=${cursor.sort}, not sort=${params.sort}; start again from the first page` });
      }
    }
    if (params.cursor && params.before) {
      ctx.addIssue({ code: "custom", path: ["before"], message: "cannot be combined with cursor; page forwards with cursor or back with before" });
    }
  });

export const LOG_QUERY_PARAMETERS = Object.keys(LogQueryParams.shape) as (keyof typeof LogQueryParams.shape)[];

/** Which logs match: every criterion given must hold. */
export type LogCriteria = {
  from?: Date;
  to?: Date;
  status?: "success" | "failed";
  /** An address or a CIDR range. */
  ip?: string;
  user?: string;
  action?: string;
  source?: string;
  /** Case-insensitive literal substring of message, user or action (lib/logs/text-search). */
  q?: string;
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
  format: "csv" | "ndjson";
};

/**
 * The filter the parameters ask for, a `range` resolved against `now` into
 * from/to. Throws a validation error naming each bad, unknown or repeated
 * parameter.
 */
export function parseLogFilter(searchParams: URLSearchParams, now: Date): LogFilter {
  const { values, problems } = singleValues(searchParams);
  const result = LogQueryParams.safeParse(values);
  if (!result.success) problems.push(...describeIssues(result.error.issues));
  if (problems.length > 0 || !result.success) throw validationError(problems, "no logs were read");

  const { range, limit, ...params } = result.data;
  const filter: LogFilter = { ...withoutUndefined(params), limit: limit ?? FILTER_LIMITS.limitDefault };
  if (range !== undefined) {
    filter.from = new Date(now.getTime() - range);
    filter.to = new Date(now.getTime());
  }
  return filter;
}

/** Parameters that parseLogFilter reads back as the same filter (defaults left out). */
export function filterToSearchParams(filter: LogFilter): URLSearchParams {
  const params = new URLSearchParams();
  const set = (name: (typeof LOG_QUERY_PARAMETERS)[number], value: string | undefined) => {
    if (value !== undefined) params.set(name, value);
  };
  set("from", filter.from?.toISOString());
  set("to", filter.to?.toISOString());
  for (const name of ["status", "ip", "user", "action", "source", "q", "tz"] as const) set(name, filter[name]);
  set("cursor", filter.cursor && encodeCursor(filter.cursor));
  set("before", filter.before && encodeCursor(filter.before));
  if (filter.limit !== FILTER_LIMITS.limitDefault) set("limit", String(filter.limit));
  if (filter.sort !== "desc") set("sort", filter.sort);
  if (filter.format !== "csv") set("format", filter.format);
  return params;
}

// An HTML form sends its empty fields as name=, which means "no filter".
function singleValues(searchParams: URLSearchParams): { values: Record<string, string>; problems: FieldProblem[] } {
  const values: Record<string, string> = {};
  const problems: FieldProblem[] = [];
  const known = new Set<string>(LOG_QUERY_PARAMETERS);
  for (const name of new Set(searchParams.keys())) {
    const all = searchParams.getAll(name);
    if (!known.has(name)) {
      problems.push({ field: name, message: `is not a known parameter (known: ${LOG_QUERY_PARAMETERS.join(", ")})` });
    } else if (all.length > 1) {
      problems.push({ field: name, message: `is given ${all.length} times; give it once` });
    } else if (all[0] !== "") {
      values[name] = all[0]!;
    }
  }
  return { values, problems };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
