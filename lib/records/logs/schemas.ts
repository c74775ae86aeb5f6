// The log shape services send (the original project's fields, kept
// compatible) and its limits. Values the embedded server cannot store (NUL
// characters, metadata keys with "." or a leading "$", nested values) are
// refused here so that every backend behaves the same.
import { z } from "zod";
import { isWellFormedText } from "@/lib/records/integrity/canonical";

export const LOG_LIMITS = {
  logId: 128,
  user: 256,
  action: 128,
  source: 256,
  message: 8192,
  metadataKeys: 32,
  metadataKey: 64,
  metadataValue: 1024,
} as const;

const ISO_8601_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const LOG_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]*$/;
// A Map, not an object literal: "constructor" or "__proto__" would find Object.prototype's members.
const STATUS_ALIASES = new Map<string, "success" | "failed">([
  ["success", "success"],
  ["failed", "failed"],
  ["failure", "failed"],
  ["fail", "failed"],
]);

/** A string the embedded server can store: no NUL, no lone surrogates, at most `max` characters. */
export function text(max: number) {
  return z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !value.includes("\u0000"), "must not contain NUL characters")
    .refine(isWellFormedText, "must be well-formed Unicode (no lone surrogates)")
    .meta({ pattern: "^[^\\u0000]*$" });
}

function requiredText(max: number) {
  // The pattern states for the API document what the refinements check: something besides spaces, and no NUL.
  return text(max)
    .refine((value) => value.trim().length > 0, "must not be empty")
    .meta({ pattern: "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$" });
}

const RESERVED_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** Every rule a metadata key breaks; one check rather than a refinement per rule, as every key of every log passes through it. */
function metadataKeyProblems(key: string): string[] {
  const problems: string[] = [];
  if (key.length === 0) problems.push("metadata keys must not be empty");
  if (key.length > LOG_LIMITS.metadataKey)
    problems.push(`metadata keys must be at most ${LOG_LIMITS.metadataKey} characters`);
  if (key.includes(".")) problems.push("metadata keys must not contain '.'");
  if (key.startsWith("$")) problems.push("metadata keys must not start with '$'");
  if (key.includes("\u0000")) problems.push("metadata keys must not contain NUL characters");
  if (!isWellFormedText(key)) problems.push("metadata keys must be well-formed Unicode");
  if (RESERVED_KEYS.has(key)) problems.push("reserved metadata key");
  return problems;
}

// zod's record leaves an own "__proto__" key (JSON.parse makes one) out of its output without an issue.
// A transform, so that the JSON Schema of the input (lib/features/openapi) is the record's.
const NoProtoKey = z.transform((value: unknown, context) => {
  if (value !== null && typeof value === "object" && Object.hasOwn(value, "__proto__")) {
    context.issues.push({ code: "custom", message: "reserved metadata key", input: value, path: ["__proto__"] });
  }
  return value;
});

export const MetadataKey = z
  .string()
  .check((context) => {
    for (const message of metadataKeyProblems(context.value))
      context.issues.push({ code: "custom", message, input: context.value });
  })
  .meta({ pattern: `^(?!\\$)(?!(?:${[...RESERVED_KEYS].join("|")})$)[^.\\u0000]{1,${LOG_LIMITS.metadataKey}}$` });

const MetadataValue = z.union(
  [text(LOG_LIMITS.metadataValue), z.number().finite(), z.boolean()],
  "metadata values must be strings, finite numbers or booleans (no nested objects or arrays)",
);

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether the text's date is a day its month has: Date.parse takes 2026-02-30 as March 2. */
function isCalendarDate(value: string): boolean {
  const [year, month, day] = [value.slice(0, 4), value.slice(5, 7), value.slice(8, 10)].map(Number) as [
    number,
    number,
    number,
  ];
  const isLeap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && isLeap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0));
}

export const Timestamp = z
  .string()
  .regex(ISO_8601_WITH_OFFSET, "must be an ISO 8601 date-time with an offset or Z, e.g. 2026-01-31T12:00:00Z")
  .refine((value) => !Number.isNaN(Date.parse(value)) && isCalendarDate(value), "is not a valid date-time");

export const LogStatus = z
  .string()
  .transform((value, ctx) => {
    const status = STATUS_ALIASES.get(value.trim().toLowerCase());
    if (!status) {
      ctx.addIssue({ code: "custom", message: "must be 'success' or 'failed' ('failure' and 'fail' mean failed)" });
      return z.NEVER;
    }
    return status;
  })
  .meta({
    enum: [...STATUS_ALIASES.keys()],
    description: "success or failed; failure and fail mean failed (in any case).",
  });

export const LogId = z
  .string()
  .max(LOG_LIMITS.logId, `must be at most ${LOG_LIMITS.logId} characters`)
  .regex(LOG_ID, "must start with a letter or digit and use only letters, digits and . _ : @ -");

export const LogSource = requiredText(LOG_LIMITS.source);

export const LogInput = z.strictObject({
  log_id: LogId.optional(),
  timestamp: Timestamp.optional(),
  ip: z.union([z.ipv4(), z.ipv6()], "must be an IPv4 or IPv6 address").optional(),
  user: requiredText(LOG_LIMITS.user),
  action: requiredText(LOG_LIMITS.action),
  status: LogStatus,
  source: LogSource.optional(),
  message: text(LOG_LIMITS.message).optional(),
  metadata: NoProtoKey.pipe(
    z
      .record(MetadataKey, MetadataValue)
      .refine(
        (value) => Object.keys(value).length <= LOG_LIMITS.metadataKeys,
        `must have at most ${LOG_LIMITS.metadataKeys} keys`,
      )
      .meta({ maxProperties: LOG_LIMITS.metadataKeys }),
  ).optional(),
});

export type LogInput = z.infer<typeof LogInput>;
