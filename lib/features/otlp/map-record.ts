// One OTLP log record as a log, by the semantic conventions (docs/shippers.md
// has the table): attributes name the log's fields, the body is its message,
// the resource's service.name its source, the rest its metadata. A record
// without log.record.uid gets an id made from who sent it and what it says,
// so a collector that sends the same batch again stores nothing twice.
import { createHash } from "node:crypto";
import { describeIssues } from "@/lib/platform/http/validation";
import { claimProblem } from "@/lib/records/logs/parse-batch";
import { contentKey, logContentOf } from "@/lib/records/logs/record";
import { LOG_LIMITS, LogInput } from "@/lib/records/logs/schemas";
import { isStructured, scalarText, textOf } from "./any-value";
import { flattenAttributes, truncateText } from "./metadata";
import { LogRecord, Resource, type KeyValue } from "./schemas";

export type RecordProblem = { field: string; message: string };
export type MappedRecord = { input: LogInput & { log_id: string } } | { problems: RecordProblem[] };
/** A resource's attributes, or why none of its records can be read. */
export type ResourceContext = { attributes: KeyValue[] } | { problems: RecordProblem[] };

/** The attributes that give a log field, the first present one winning. */
export const FIELD_ATTRIBUTES = {
  ip: ["client.address", "source.address"],
  user: ["user.name", "user.id", "enduser.id"],
  action: ["event.name"],
  status: ["event.outcome"],
  log_id: ["log.record.uid"],
} as const;
type AttributeField = keyof typeof FIELD_ATTRIBUTES;

export const SERVICE_NAME = "service.name";
export const DERIVED_ID_PREFIX = "otlp-";
const UNIX_EPOCH = new Date(0);

type Located = KeyValue & { from: string };

export function readResource(resource: unknown): ResourceContext {
  const parsed = Resource.safeParse(resource);
  if (parsed.success) return { attributes: parsed.data?.attributes ?? [] };
  return {
    problems: describeIssues(parsed.error.issues).map(({ field, message }) => ({
      field: field === "(body)" ? "resource" : `resource.${field}`,
      message,
    })),
  };
}

/** `sender` is who stores the log (its ingested_by); it is part of a derived id. */
export function mapLogRecord(record: unknown, resource: ResourceContext, sender: string): MappedRecord {
  if ("problems" in resource) return resource;
  const parsed = LogRecord.safeParse(record);
  if (!parsed.success) return { problems: describeIssues(parsed.error.issues) };
  const { data } = parsed;
  const problems: RecordProblem[] = [];
  const candidate: Record<string, unknown> = {};
  const origins = new Map<string, string>();
  const set = (field: string, value: unknown, from: string) => {
    candidate[field] = value;
    origins.set(field, from);
  };

  const attributes: Located[] = (data.attributes ?? []).map((attribute) => ({
    ...attribute,
    from: `attributes["${attribute.key}"]`,
  }));
  const resourceAttributes: Located[] = resource.attributes.map((attribute) => ({
    ...attribute,
    from: `resource.attributes["${attribute.key}"]`,
  }));
  const used = new Set<Located>();
  const take = (field: string, attribute: Located | undefined) => {
    if (!attribute) return;
    used.add(attribute);
    const text = scalarText(attribute.value);
    if (text === undefined)
      problems.push({ field: attribute.from, message: "must be a string, not an array or a kvlist" });
    else set(field, text, attribute.from);
  };

  for (const field of Object.keys(FIELD_ATTRIBUTES) as AttributeField[]) {
    if (field === "action" && data.eventName) set("action", data.eventName, "eventName");
    else take(field, firstPresent(attributes, FIELD_ATTRIBUTES[field]));
  }
  take("source", firstPresent(resourceAttributes, [SERVICE_NAME]));

  const time = timeOf(data);
  if ("problem" in time) problems.push(time.problem);
  else set("timestamp", time.timestamp, time.from);

  const message = textOf(data.body);
  if (message) set("message", truncateText(message, LOG_LIMITS.message), "body");

  const severity: Located[] = data.severityText
    ? [{ key: "severity", value: { stringValue: data.severityText }, from: "severityText" }]
    : [];
  const rest = [...attributes, ...severity, ...resourceAttributes].filter((attribute) => !used.has(attribute));
  const { metadata, origins: metadataOrigins } = flattenAttributes(rest);
  if (Object.keys(metadata).length > 0) candidate.metadata = metadata;
  for (const [key, attribute] of metadataOrigins) origins.set(`metadata.${key}`, attribute.from);

  if (problems.length > 0) return { problems };
  const result = LogInput.safeParse(candidate);
  if (!result.success)
    return { problems: describeIssues(result.error.issues).map((problem) => located(problem, origins)) };
  const claimed = claimProblem(result.data);
  if (claimed) return { problems: [located(claimed, origins)] };
  return { input: { ...result.data, log_id: result.data.log_id ?? derivedLogId(result.data, sender) } };
}

/** `otlp-` and 32 hex digits of a hash of the sender and the log's content, as ingestion compares it. */
export function derivedLogId(input: LogInput, sender: string): string {
  const content = contentKey(logContentOf(input, UNIX_EPOCH));
  return `${DERIVED_ID_PREFIX}${createHash("sha256")
    .update(JSON.stringify([sender, content]), "utf8")
    .digest("hex")
    .slice(0, 32)}`;
}

/** The first of `keys` that the attributes hold with a value. */
function firstPresent(attributes: Located[], keys: readonly string[]): Located | undefined {
  for (const key of keys) {
    const attribute = attributes.find(
      (candidate) =>
        candidate.key === key && (scalarText(candidate.value) !== undefined || isStructured(candidate.value)),
    );
    if (attribute) return attribute;
  }
  return undefined;
}

type Time = { timestamp: string; from: string } | { problem: RecordProblem };

/** The record's time (else the time the collector saw it) as ISO 8601, to the nanosecond when it has one. */
function timeOf(record: LogRecord): Time {
  for (const from of ["timeUnixNano", "observedTimeUnixNano"] as const) {
    const value = record[from];
    if (value == null || BigInt(value) === 0n) continue;
    const nanos = BigInt(value);
    // At most 20 digits: before the year 5200, well inside what a Date holds.
    const iso = new Date(Number(nanos / 1_000_000n)).toISOString();
    const belowMillisecond = (nanos % 1_000_000n).toString().padStart(6, "0").replace(/0+$/, "");
    return { timestamp: iso.replace(/Z$/, `${belowMillisecond}Z`), from };
  }
  return {
    problem: {
      field: "timeUnixNano",
      message: "is required, or observedTimeUnixNano: without a time a record cannot be told from a repeat of itself",
    },
  };
}

/** A problem of the mapped log, named by where in the record the field came from. */
function located(problem: RecordProblem, origins: Map<string, string>): RecordProblem {
  const from = origins.get(problem.field);
  if (from) return { field: from, message: problem.message };
  const keys = FIELD_ATTRIBUTES[problem.field as AttributeField];
  if (!keys) return problem;
  const others = keys.slice(1).map((key) => `"${key}"`);
  const field = problem.field === "action" ? "eventName" : `attributes["${keys[0]}"]`;
  const alternatives = problem.field === "action" ? ['attributes["event.name"]'] : others;
  return {
    field,
    message: alternatives.length > 0 ? `${problem.message} (or ${alternatives.join(", ")})` : problem.message,
  };
}
