// The alert list's parameters, one schema for GET /api/alerts and the
// /anomalies page: filters (status, minimum severity, types, a subject given
// as an IP, a CIDR range or a user name, a time range the alert's window
// overlaps), the order, grouping by subject and an opaque cursor.
import { isIP } from "node:net";
import { z } from "zod";
import { FINDING_TYPES, SEVERITIES, type FindingType } from "@/lib/records/anomaly";
import { ANOMALY_QUERY_FIELDS, SeverityName } from "@/lib/records/anomaly/range-params";
import { cidrKeyRange, InvalidIpError, ipKey, type IpKeyRange } from "@/lib/foundation/net/ip";
import { describeIssues, type FieldProblem } from "@/lib/platform/http/validation";
import { ALERT_STATUSES } from "./alert-record";

export const ALERT_PAGE_SIZE = { default: 50, max: 200 } as const;
export const ALERT_SORTS = ["severity", "last_event", "first_event", "count", "last_change"] as const;
export type AlertSort = (typeof ALERT_SORTS)[number];
export const ALERT_GROUPINGS = ["ip", "user"] as const;
export type AlertGrouping = (typeof ALERT_GROUPINGS)[number];
/** `all` lists every status; the default is the alerts that still need someone. */
export const ALERT_STATUS_CHOICES = [...ALERT_STATUSES, "all"] as const;
export const DEFAULT_ALERT_STATUS = "open";
const MAX_SUBJECT_LENGTH = 200;

/** What the subject text names: an address or range (as IP keys), else a user name. */
export type SubjectMatch = { ip: IpKeyRange; text: string } | { user: string; text: string };

const Subject = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(MAX_SUBJECT_LENGTH, `must be at most ${MAX_SUBJECT_LENGTH} characters`)
  .transform((text, ctx): SubjectMatch => {
    try {
      if (text.includes("/")) return { ip: cidrKeyRange(text), text };
      if (isIP(text)) return { ip: { low: ipKey(text), high: ipKey(text) }, text };
    } catch (error) {
      if (!(error instanceof InvalidIpError)) throw error;
      ctx.addIssue({
        code: "custom",
        message: `${error.message}; give an IP, a CIDR range such as 203.0.113.0/24, or a user name`,
      });
      return z.NEVER;
    }
    return { user: text, text };
  });

const PageSize = z.coerce
  .number({ message: `must be a whole number from 1 to ${ALERT_PAGE_SIZE.max}` })
  .int(`must be a whole number from 1 to ${ALERT_PAGE_SIZE.max}`)
  .min(1, `must be a whole number from 1 to ${ALERT_PAGE_SIZE.max}`)
  .max(ALERT_PAGE_SIZE.max, `must be a whole number from 1 to ${ALERT_PAGE_SIZE.max}`);

/** The filters alone: what a bulk change by filter names too. */
export const ALERT_FILTER_FIELDS = {
  status: z
    .enum(ALERT_STATUS_CHOICES, { message: `must be one of ${ALERT_STATUS_CHOICES.join(", ")}` })
    .default(DEFAULT_ALERT_STATUS),
  min_severity: SeverityName.optional(),
  type: ANOMALY_QUERY_FIELDS.type,
  subject: Subject.optional(),
  from: ANOMALY_QUERY_FIELDS.from,
  to: ANOMALY_QUERY_FIELDS.to,
};

function checkRange({ from, to }: { from?: Date; to?: Date }, ctx: z.RefinementCtx): void {
  if (from instanceof Date && to instanceof Date && from > to)
    ctx.addIssue({ code: "custom", message: "must not be after to", path: ["from"] });
}

export const AlertFilter = z.strictObject(ALERT_FILTER_FIELDS).superRefine(checkRange);
export type AlertFilter = z.infer<typeof AlertFilter>;

export const AlertListParams = z
  .strictObject({
    ...ALERT_FILTER_FIELDS,
    sort: z.enum(ALERT_SORTS, { message: `must be one of ${ALERT_SORTS.join(", ")}` }).default("severity"),
    order: z.enum(["desc", "asc"], { message: "must be desc or asc" }).default("desc"),
    group: z.enum(ALERT_GROUPINGS, { message: `must be one of ${ALERT_GROUPINGS.join(", ")}` }).optional(),
    cursor: z.string().max(1_000, "must be at most 1000 characters").optional(),
    limit: PageSize.default(ALERT_PAGE_SIZE.default),
  })
  .superRefine(checkRange);
export type AlertListParams = z.infer<typeof AlertListParams>;

/** The query as URL parameters, defaults left out: the page's links and the cursor's next address. */
export function alertListParams(query: Partial<AlertListParams>): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  if (query.status && query.status !== DEFAULT_ALERT_STATUS) params.status = query.status;
  if (query.min_severity) params.min_severity = query.min_severity;
  if (query.type && query.type.length > 0) params.type = [...query.type];
  if (query.subject) params.subject = query.subject.text;
  if (query.from) params.from = query.from.toISOString();
  if (query.to) params.to = query.to.toISOString();
  if (query.sort && query.sort !== "severity") params.sort = query.sort;
  if (query.order && query.order !== "desc") params.order = query.order;
  if (query.group) params.group = query.group;
  if (query.cursor) params.cursor = query.cursor;
  if (query.limit && query.limit !== ALERT_PAGE_SIZE.default) params.limit = String(query.limit);
  return params;
}

export const SEVERITY_RANK: Record<(typeof SEVERITIES)[number], number> = Object.fromEntries(
  SEVERITIES.map((name, rank) => [name, rank]),
) as never;
export const FINDING_TYPE_ORDER: Record<FindingType, number> = Object.fromEntries(
  FINDING_TYPES.map((name, rank) => [name, rank]),
) as never;

/**
 * URL parameters as the schema reads them: an empty value (a form's blank
 * field) counts as absent and a repeated name gives an array. Own properties,
 * so that __proto__ is a parameter the schema refuses by name.
 */
export function parseAlertListParams(
  params: URLSearchParams,
): { query: AlertListParams } | { problems: FieldProblem[] } {
  const input = Object.fromEntries(
    [...new Set(params.keys())].flatMap((name) => {
      const values = params.getAll(name).filter((value) => value !== "");
      return values.length === 0 ? [] : [[name, values.length === 1 ? values[0]! : values]];
    }),
  );
  const result = AlertListParams.safeParse(input);
  return result.success ? { query: result.data } : { problems: describeIssues(result.error.issues) };
}
