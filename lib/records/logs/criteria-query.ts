// A LogFilter's criteria as a MongoDB query, and the same criteria evaluated
// in JS; the two must agree on every log. Only operators the embedded server
// supports (equality, $in, $nin, $ne, $gte/$lte, $lt/$gt, $and, $or, $regex
// with "i"); user text only ever becomes a compared value or an escaped
// pattern, never an operator or a field name it did not pass validation as.
import type { Filter } from "mongodb";
import { InvalidIpError, ipKey, ipKeyRange, type IpKeyRange } from "@/lib/foundation/net/ip";
import type { ValueLists } from "./filter-lists";
import type { LogCriteria } from "./filters";
import { metadataText, storedValuesOf } from "./metadata-match";
import type { StoredLog } from "./record";
import { SEARCH_REGEX_OPTIONS, searchPattern, searchRegExp } from "./text-search";

/** What matchesLogFilter reads: a stored log or a log-like object. */
export type MatchableLog = {
  time: Date;
  ip?: string;
  user: string;
  action: string;
  status: string;
  source?: string;
  ingested_by?: string;
  message?: string;
  metadata?: Record<string, unknown>;
};

const EXACT_FIELDS = ["status", "user", "action", "source", "ingested_by"] as const;
const SEARCHED_FIELDS = ["message", "user", "action"] as const;

export function logFilterQuery(criteria: LogCriteria): Filter<StoredLog> {
  const query: Record<string, unknown> = {};
  // Each holds when one of its alternatives does.
  const alternatives: Record<string, unknown>[][] = [];
  const excluded = criteria.exclude ?? {};
  if (criteria.from || criteria.to) {
    query.time = { ...(criteria.from && { $gte: criteria.from }), ...(criteria.to && { $lte: criteria.to }) };
  }
  for (const field of EXACT_FIELDS) setCondition(query, field, criteria[field], excluded[field]);
  for (const key of metadataKeys(criteria)) {
    setCondition(
      query,
      `metadata.${key}`,
      metaValues(criteria, key)?.flatMap(storedValuesOf),
      metaValues(excluded, key)?.flatMap(storedValuesOf),
    );
  }
  const ranges = criteria.ip?.map(ipKeyRange).map(({ low, high }) => (low === high ? low : { $gte: low, $lte: high }));
  if (ranges?.length === 1) query.ip_key = ranges[0];
  else if (ranges) alternatives.push(ranges.map((range) => ({ ip_key: range })));
  // Outside each excluded range; a log without an address is never excluded.
  for (const { low, high } of excluded.ip?.map(ipKeyRange) ?? [])
    alternatives.push([{ ip_key: { $lt: low } }, { ip_key: { $gt: high } }, { ip_key: { $exists: false } }]);
  if (criteria.q !== undefined) {
    const pattern = searchPattern(criteria.q);
    alternatives.push(
      SEARCHED_FIELDS.map((field) => ({ [field]: { $regex: pattern, $options: SEARCH_REGEX_OPTIONS } })),
    );
  }
  if (alternatives.length === 1) query.$or = alternatives[0];
  else if (alternatives.length > 1) query.$and = alternatives.map(($or) => ({ $or }));
  return query as Filter<StoredLog>;
}

/** The criteria as a predicate, prepared once for many logs. */
export function logMatcher(criteria: LogCriteria): (log: MatchableLog) => boolean {
  const from = criteria.from?.getTime() ?? -Infinity;
  const to = criteria.to?.getTime() ?? Infinity;
  const excluded = criteria.exclude ?? {};
  const valueTests = [
    ...EXACT_FIELDS.map((field) => valueTest((log) => log[field], criteria[field], excluded[field])),
    ...metadataKeys(criteria).map((key) =>
      valueTest((log) => metadataText(log.metadata, key), metaValues(criteria, key), metaValues(excluded, key)),
    ),
  ].filter((test) => test !== undefined);
  const ipRanges = criteria.ip?.map(ipKeyRange);
  const excludedRanges = excluded.ip?.map(ipKeyRange);
  const search = criteria.q === undefined ? undefined : searchRegExp(criteria.q);
  return (log) => {
    const time = log.time.getTime();
    if (time < from || time > to) return false;
    if (!valueTests.every((test) => test(log))) return false;
    if (ipRanges || excludedRanges) {
      const key = log.ip == null ? undefined : keyOrUndefined(log.ip);
      if (ipRanges && (key === undefined || !ipRanges.some(holds(key)))) return false;
      if (excludedRanges && key !== undefined && excludedRanges.some(holds(key))) return false;
    }
    return !search || SEARCHED_FIELDS.some((field) => log[field] !== undefined && search.test(log[field]));
  };
}

export function matchesLogFilter(log: MatchableLog, criteria: LogCriteria): boolean {
  return logMatcher(criteria)(log);
}

/** Equality for one value, $in for several, and $ne or $nin for the excluded ones (which a log without the field passes). */
function setCondition(
  query: Record<string, unknown>,
  path: string,
  anyOf: unknown[] | undefined,
  noneOf: unknown[] | undefined,
): void {
  if (anyOf?.length === 1 && !noneOf) query[path] = anyOf[0];
  else if (anyOf || noneOf) {
    query[path] = {
      ...(anyOf && { $in: anyOf }),
      ...(noneOf && (noneOf.length === 1 ? { $ne: noneOf[0] } : { $nin: noneOf })),
    };
  }
}

/** Whether the value `read` finds is one of `anyOf` and none of `noneOf`; a log without the value matches no `anyOf` and is never excluded. */
function valueTest(
  read: (log: MatchableLog) => string | undefined,
  anyOf: string[] | undefined,
  noneOf: string[] | undefined,
) {
  if (!anyOf && !noneOf) return undefined;
  const wanted = anyOf && new Set(anyOf);
  const unwanted = noneOf && new Set(noneOf);
  return (log: MatchableLog) => {
    const value = read(log);
    if (wanted && (value === undefined || !wanted.has(value))) return false;
    return !(unwanted && value !== undefined && unwanted.has(value));
  };
}

/** The values one list gives a metadata key; its own entry only, as a key such as toString is one the other list may hold. */
function metaValues(lists: ValueLists, key: string): string[] | undefined {
  return lists.meta && Object.hasOwn(lists.meta, key) ? lists.meta[key] : undefined;
}

function metadataKeys({ meta, exclude }: LogCriteria): string[] {
  return [...new Set([...Object.keys(meta ?? {}), ...Object.keys(exclude?.meta ?? {})])];
}

function holds(key: string): (range: IpKeyRange) => boolean {
  return ({ low, high }) => key >= low && key <= high;
}

// An address that is not one has no key, as a log without an address: it matches no ip filter and no ip exclusion.
function keyOrUndefined(address: string): string | undefined {
  try {
    return ipKey(address);
  } catch (error) {
    if (error instanceof InvalidIpError) return undefined;
    throw error;
  }
}
