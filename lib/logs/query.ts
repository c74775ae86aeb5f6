// A LogFilter's criteria as a MongoDB query, and the same criteria evaluated
// in JS; the two must agree on every log. Only operators the embedded server
// supports ($gte/$lte, equality, $or, $regex with "i"); user text only ever
// becomes a compared string or an escaped pattern, never an operator.
import type { Filter } from "mongodb";
import { InvalidIpError, ipKey, ipKeyRange } from "@/lib/net/ip";
import type { LogCriteria } from "./filters";
import type { StoredLog } from "./record";
import { SEARCH_REGEX_OPTIONS, searchPattern, searchRegExp } from "./text-search";

/** What matchesLogFilter reads: a stored log or a log-like object. */
export type MatchableLog = {
  time: Date;
  ip: string;
  user: string;
  action: string;
  status: string;
  source?: string;
  message?: string;
};

const EXACT_FIELDS = ["status", "user", "action", "source"] as const;
const SEARCHED_FIELDS = ["message", "user", "action"] as const;

export function logFilterQuery(criteria: LogCriteria): Filter<StoredLog> {
  const query: Filter<StoredLog> = {};
  if (criteria.from || criteria.to) {
    query.time = { ...(criteria.from && { $gte: criteria.from }), ...(criteria.to && { $lte: criteria.to }) };
  }
  if (criteria.status !== undefined) query.status = criteria.status;
  if (criteria.user !== undefined) query.user = criteria.user;
  if (criteria.action !== undefined) query.action = criteria.action;
  if (criteria.source !== undefined) query.source = criteria.source;
  if (criteria.ip !== undefined) {
    const { low, high } = ipKeyRange(criteria.ip);
    query.ip_key = low === high ? low : { $gte: low, $lte: high };
  }
  if (criteria.q !== undefined) {
    const pattern = searchPattern(criteria.q);
    query.$or = SEARCHED_FIELDS.map((field) => ({ [field]: { $regex: pattern, $options: SEARCH_REGEX_OPTIONS } }));
  }
  return query;
}

/** The criteria as a predicate, prepared once for many logs. */
export function logMatcher(criteria: LogCriteria): (log: MatchableLog) => boolean {
  const from = criteria.from?.getTime() ?? -Infinity;
  const to = criteria.to?.getTime() ?? Infinity;
  const ip = criteria.ip === undefined ? undefined : ipKeyRange(criteria.ip);
  const search = criteria.q === undefined ? undefined : searchRegExp(criteria.q);
  return (log) => {
    const time = log.time.getTime();
    if (time < from || time > to) return false;
    if (EXACT_FIELDS.some((field) => criteria[field] !== undefined && log[field] !== criteria[field])) return false;
    if (ip) {
      const key = keyOrUndefined(log.ip);
      if (key === undefined || key < ip.low || key > ip.high) return false;
    }
    return !search || SEARCHED_FIELDS.some((field) => log[field] !== undefined && search.test(log[field]));
  };
}

export function matchesLogFilter(log: MatchableLog, criteria: LogCriteria): boolean {
  return logMatcher(criteria)(log);
}

// A stored log always has a valid ip; anything else has no ip_key and matches no ip filter.
function keyOrUndefined(address: string): string | undefined {
  try {
    return ipKey(address);
  } catch (error) {
    if (error instanceof InvalidIpError) return undefined;
    throw error;
  }
}
