// The explorer's query parameters (lib/records/logs/filters.ts, filter-lists.ts) as
// OpenAPI parameters, from the same schemas and name lists, for GET /api/logs
// and GET /api/logs/export.
import { z } from "zod";
import { LIST_LIMITS, LIST_VALUES, MetaValue } from "@/lib/records/logs/filter-lists";
import { EXCLUDE_PREFIX, LIST_FIELDS, META_PREFIX, type ListField } from "@/lib/records/logs/filter-names";
import { EXPORT_FORMATS, FILTER_LIMITS, LogSearchParams } from "@/lib/records/logs/filters";
import { parametersOf, type Parameter } from "./define-route";

const SINGLE_DESCRIPTIONS = {
  from: "Logs at or after this time: ISO 8601 with an offset or Z.",
  to: "Logs at or before this time.",
  range: `A period ending now instead of from/to: minutes, hours or days such as 15m, 24h or 7d, at most ${FILTER_LIMITS.rangeMaxDays}d.`,
  q: "Case-insensitive text in the message, user or action.",
  tz: "IANA time zone for showing times (Europe/Paris); it does not change which logs match.",
  cursor: "The next page: the previous answer's next_cursor.",
  before: "The page before: the previous answer's prev_cursor.",
  limit: `Logs per page, 1 to ${FILTER_LIMITS.limitMax} (default ${FILTER_LIMITS.limitDefault}).`,
  sort: "By time: desc (newest first) or asc.",
  format: `The export's format: ${EXPORT_FORMATS.join(", ")}; GET /api/logs ignores it.`,
};

const LIST_DESCRIPTIONS: Record<ListField, string> = {
  status: "success or failed.",
  ip: "An IPv4 or IPv6 address, or a CIDR range such as 10.0.3.0/24.",
  user: "A user name, exactly.",
  action: "An action, exactly.",
  source: "A source, exactly.",
  ingested_by: "Who stored the log: key:<API key id>, ledgerline, import:<email> or cli:<command>.",
};

const metaKey = new RegExp(`^(${EXCLUDE_PREFIX})?${META_PREFIX.replace(".", "\\.")}[A-Za-z0-9_@.-]+$`);

/** Every parameter parseLogFilter reads; an unknown one is refused by name. */
export const LOG_FILTER_PARAMETERS: Parameter[] = [
  ...[
    ...parametersOf("query", LogSearchParams, SINGLE_DESCRIPTIONS, { from: "2026-01-31T00:00:00Z", range: "24h" }),
    ...LIST_FIELDS.flatMap((field): Parameter[] => {
      const values = z.array(LIST_VALUES[field]).max(LIST_LIMITS.values);
      return [
        {
          in: "query",
          name: field,
          schema: values,
          description: `Logs whose ${field} is any of these; repeat for more. ${LIST_DESCRIPTIONS[field]}`,
        },
        {
          in: "query",
          name: `${EXCLUDE_PREFIX}${field}`,
          schema: values,
          description: `Logs whose ${field} is none of these (a log without one is never excluded).`,
        },
      ];
    }),
    // An HTML form sends its empty fields as name=, which the filter reads as no filter.
  ].map((parameter): Parameter => ({ ...parameter, allowEmptyValue: true })),
  {
    in: "query",
    name: "meta",
    style: "form",
    explode: true,
    schema: z.record(z.string().regex(metaKey), MetaValue),
    description:
      `Metadata filters, each its own parameter: ${META_PREFIX}<dotted key>=value (${META_PREFIX}event.outcome=failure) for logs with that value, ` +
      `${EXCLUDE_PREFIX}${META_PREFIX}<key>=value for logs without that value; repeat a name for more values, at most ${LIST_LIMITS.metaParameters} such names.`,
    example: { "meta.event.outcome": "failure" },
  },
];
