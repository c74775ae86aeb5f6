// The explorer's list parameters: status, ip, user, action, source,
// ingested_by and metadata keys (`meta.event.outcome`), each repeatable, any of whose values
// may match (`user=a&user=b`); with an `exclude_` prefix, none of them may
// (`exclude_user=svc-backup`). Parameter values in, typed lists out, and back.
import { z } from "zod";
import type { FieldProblem } from "@/lib/platform/http/validation";
import { InvalidIpError, ipKeyRange } from "@/lib/foundation/net/ip";
import { EXCLUDE_PREFIX, LIST_FIELDS, META_PREFIX, readListParameter, type ListField } from "./filter-names";
import { INGESTED_BY_MAX_LENGTH } from "./provenance";
import { LOG_LIMITS, text } from "./schemas";

export const LIST_LIMITS = { values: 20, metaParameters: 10, metaKey: 128, metaSegment: 64, ip: 64 } as const;

/** Each criterion's values; each list holds at least one value. */
export type ValueLists = {
  status?: ("success" | "failed")[];
  /** Addresses or CIDR ranges. */
  ip?: string[];
  user?: string[];
  action?: string[];
  source?: string[];
  /** Who stored the log (lib/records/logs/provenance.ts): `key:<id>`, `ledgerline`, ... */
  ingested_by?: string[];
  /** By dotted metadata key (`event.outcome`), compared as lib/records/logs/metadata-match.ts says. */
  meta?: Record<string, string[]>;
};

const IpOrCidr = z.string().superRefine((value, ctx) => {
  if (value.length > LIST_LIMITS.ip) {
    ctx.addIssue({ code: "custom", message: `must be at most ${LIST_LIMITS.ip} characters` });
    return;
  }
  try {
    ipKeyRange(value);
  } catch (error) {
    if (!(error instanceof InvalidIpError)) throw error;
    const message = value.includes("/")
      ? error.message
      : "must be an IPv4 or IPv6 address, or a CIDR range such as 10.0.3.0/24";
    ctx.addIssue({ code: "custom", message });
  }
});

/** What each value of a list parameter must be. */
export const LIST_VALUES: Record<ListField, z.ZodType<string>> = {
  status: z.enum(["success", "failed"], "must be 'success' or 'failed'"),
  ip: IpOrCidr,
  user: text(LOG_LIMITS.user),
  action: text(LOG_LIMITS.action),
  source: text(LOG_LIMITS.source),
  ingested_by: text(INGESTED_BY_MAX_LENGTH),
};
export const MetaValue = text(LOG_LIMITS.metadataValue);

const META_SEGMENT = /^[A-Za-z0-9_@-]+$/;
// Never metadata keys (ingestion refuses them), and they would reach Object.prototype.
const RESERVED_SEGMENTS = new Set(["__proto__", "constructor", "prototype"]);

/** Why a metadata key cannot be filtered on, or undefined when it can. */
export function metaKeyProblem(key: string): string | undefined {
  if (key === "") return "needs a metadata key after 'meta.', such as meta.event.outcome";
  if (key.length > LIST_LIMITS.metaKey) return `has a metadata key longer than ${LIST_LIMITS.metaKey} characters`;
  if (key.includes("$")) return "must not contain '$' in its metadata key";
  const segments = key.split(".");
  if (segments.includes("")) return "has an empty metadata key segment (two dots in a row, or a dot at either end)";
  if (segments.some((segment) => segment.length > LIST_LIMITS.metaSegment))
    return `has a metadata key segment longer than ${LIST_LIMITS.metaSegment} characters`;
  if (!segments.every((segment) => META_SEGMENT.test(segment)))
    return "may use only letters, digits, _, - and @ in its metadata key, with dots between segments";
  if (segments.some((segment) => RESERVED_SEGMENTS.has(segment)))
    return "uses a reserved metadata key (__proto__, constructor or prototype)";
  return undefined;
}

/**
 * The lists that `given` (each list parameter's values, as repeated) asks
 * for: empty values are left out (an HTML form sends its empty fields), a
 * value given twice counts once; every problem names its parameter.
 */
export function parseValueLists(given: Map<string, string[]>): {
  include: ValueLists;
  exclude: ValueLists;
  problems: FieldProblem[];
} {
  const include: ValueLists = {};
  const exclude: ValueLists = {};
  const problems: FieldProblem[] = [];
  let metaParameters = 0;
  for (const [name, all] of given) {
    const target = readListParameter(name);
    const values = [...new Set(all.filter((value) => value !== ""))];
    if (!target || values.length === 0) continue;
    const problem = (message: string) => problems.push({ field: name, message });
    if (all.length > LIST_LIMITS.values) {
      problem(`is given ${all.length} times; give at most ${LIST_LIMITS.values} values`);
      continue;
    }
    if ("metaKey" in target) {
      const tooMany = ++metaParameters > LIST_LIMITS.metaParameters;
      const keyProblem =
        metaKeyProblem(target.metaKey) ??
        (tooMany
          ? `is one metadata filter too many: give at most ${LIST_LIMITS.metaParameters} meta.… and exclude_meta.… parameters together`
          : undefined);
      if (keyProblem) {
        problem(keyProblem);
        continue;
      }
    }
    const schema = "metaKey" in target ? MetaValue : LIST_VALUES[target.field];
    const messages = values.flatMap((value) => {
      const result = schema.safeParse(value);
      return result.success ? [] : result.error.issues.map((issue) => issue.message);
    });
    if (messages.length > 0) {
      for (const message of new Set(messages)) problem(message);
      continue;
    }
    const lists = target.excluded ? exclude : include;
    if ("metaKey" in target) (lists.meta ??= {})[target.metaKey] = values;
    else (lists as Record<ListField, string[]>)[target.field] = values;
  }
  return { include, exclude, problems };
}

/** Appends the lists as parameters (`prefix` "exclude_" for excluded values) that parseValueLists reads back as the same lists. */
export function appendValueLists(
  params: URLSearchParams,
  lists: ValueLists | undefined,
  prefix: "" | typeof EXCLUDE_PREFIX = "",
): void {
  if (!lists) return;
  for (const field of LIST_FIELDS) for (const value of lists[field] ?? []) params.append(`${prefix}${field}`, value);
  for (const [key, values] of Object.entries(lists.meta ?? {}))
    for (const value of values) params.append(`${prefix}${META_PREFIX}${key}`, value);
}

export function hasValueLists(lists: ValueLists): boolean {
  return Object.keys(lists).length > 0;
}
