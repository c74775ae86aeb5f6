// One document of the Elasticsearch bulk API, in the Elastic Common Schema
// (ECS), as our log fields (docs/shippers.md has the table). Nested objects and
// dotted keys are the same field: {"source":{"ip":…}} is {"source.ip":…}.
import { canonicalTimeZone } from "@/lib/foundation/util/local-time";
import type { FieldProblem } from "@/lib/platform/http/validation";
import { LOG_LIMITS, MetadataKey } from "@/lib/records/logs/schemas";

type Scalar = string | number | boolean;
export type Metadata = Record<string, Scalar>;

/** Where each of our fields comes from, first match wins. */
export const ECS_FIELDS = {
  timestamp: ["@timestamp"],
  ip: ["source.ip", "client.ip"],
  user: ["user.name"],
  action: ["event.action"],
  status: ["event.outcome"],
  source: ["service.name", "host.name"],
  message: ["message"],
} as const;

type OurField = keyof typeof ECS_FIELDS;

/** A document with any of these is a structured event; without, its message may be a raw log line. */
const STRUCTURED = ["event.action", "event.outcome", "user.name"];

/**
 * The shipper's bookkeeping and its description of its own machine (host.*
 * but host.name): they change between re-sends of one event, repeat the
 * message, or would crowd the event's own fields out of the metadata.
 */
const DROPPED_PREFIXES = ["@metadata.", "agent.", "ecs.", "input.", "host."];
const DROPPED_FIELDS = new Set(["@version", "event.original", "event.ingested", "event.created"]);

const METADATA_SEPARATOR = "_";
const MAX_DEPTH = 16;

export type MappedDocument =
  /**
   * A structured event: `log` still has to pass LogInput, `problems` are what
   * the mapping itself refused, `origins` names each field's ECS source.
   */
  | {
      kind: "event";
      log: Record<string, unknown>;
      problems: FieldProblem[];
      origins: Partial<Record<OurField, string>>;
    }
  /** A raw log line in `message`, with what the shipper says around it. */
  | { kind: "line"; line: string; shipperTime?: string; timeZone?: string; shipperSource?: string; metadata: Metadata }
  | { kind: "unmapped"; problems: FieldProblem[] };

export function mapEcsDocument(document: Record<string, unknown>): MappedDocument {
  const fields = flatten(document);
  const used = new Set<string>();
  const taken: Partial<Record<OurField, { name: string; value: unknown }>> = {};
  for (const field of Object.keys(ECS_FIELDS) as OurField[]) {
    const name = ECS_FIELDS[field].find((candidate) => fields.has(candidate));
    if (name === undefined) continue;
    taken[field] = { name, value: fields.get(name) };
    used.add(name);
  }

  if (!STRUCTURED.some((name) => fields.has(name))) {
    const message = taken.message?.value;
    if (typeof message !== "string") {
      return {
        kind: "unmapped",
        problems: [
          { field: "message", message: `must be a log line when the document has none of ${STRUCTURED.join(", ")}` },
        ],
      };
    }
    const zone = fields.get("event.timezone");
    const timeZone = zone === undefined ? undefined : lineTimeZone(zone);
    if (zone !== undefined && timeZone === undefined) {
      return {
        kind: "unmapped",
        problems: [
          {
            field: "event.timezone",
            message: "must be an IANA time zone such as Europe/Paris, or a whole-hour offset such as +02:00",
          },
        ],
      };
    }
    used.add("event.timezone");
    const shipperTime = timestampText(taken.timestamp?.value);
    return {
      kind: "line",
      line: message,
      ...(shipperTime !== undefined && { shipperTime }),
      ...(timeZone !== undefined && { timeZone }),
      ...(typeof taken.source?.value === "string" && { shipperSource: taken.source.value }),
      metadata: metadataOf(fields, used),
    };
  }

  const log: Record<string, unknown> = {};
  const origins: Partial<Record<OurField, string>> = {};
  for (const [field, found] of Object.entries(taken) as [OurField, { name: string; value: unknown }][]) {
    origins[field] = found.name;
    if (field !== "status")
      log[field] = field === "timestamp" ? (timestampText(found.value) ?? found.value) : found.value;
  }
  const problems: FieldProblem[] = [];
  const status = statusOf(taken.status?.value);
  if (status) log.status = status;
  else {
    const sent = taken.status === undefined ? "is missing" : `is ${JSON.stringify(taken.status.value)}`;
    problems.push({ field: "event.outcome", message: `must be 'success' or 'failure' to be stored (it ${sent})` });
  }
  const metadata = metadataOf(fields, used);
  if (Object.keys(metadata).length > 0) log.metadata = metadata;
  return { kind: "event", log, problems, origins };
}

function statusOf(outcome: unknown): "success" | "failed" | undefined {
  const value = typeof outcome === "string" ? outcome.trim().toLowerCase() : undefined;
  if (value === "success") return "success";
  if (value === "failure") return "failed";
  return undefined;
}

/** Filebeat's add_locale sends an offset ("+02:00") unless told to send the zone's name. */
function lineTimeZone(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const offset = /^([+-])(\d{2}):?00$/.exec(value.trim());
  if (!offset) return canonicalTimeZone(value.trim());
  const hours = Number(offset[2]);
  if (hours === 0) return "UTC";
  // The Etc zones count the other way: Etc/GMT-2 is two hours ahead of UTC.
  return canonicalTimeZone(`Etc/GMT${offset[1] === "+" ? "-" : "+"}${hours}`);
}

/** ES takes @timestamp as text or as epoch milliseconds. */
function timestampText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value) && Math.abs(value) <= 8.64e15)
    return new Date(value).toISOString();
  return undefined;
}

/** Every leaf by its dotted path, in document order; the first of two spellings of one path wins. */
function flatten(document: Record<string, unknown>): Map<string, unknown> {
  const fields = new Map<string, unknown>();
  const walk = (value: unknown, path: string, depth: number) => {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      if (depth >= MAX_DEPTH) return;
      for (const [key, inner] of Object.entries(value)) walk(inner, path ? `${path}.${key}` : key, depth + 1);
    } else if (!fields.has(path)) fields.set(path, value);
  };
  walk(document, "", 0);
  return fields;
}

/**
 * The fields not mapped nor dropped, as metadata: the path joined with "_"
 * (metadata keys hold no "."), strings cut to the value limit, arrays of
 * scalars as their JSON text; null, other arrays and keys metadata cannot
 * hold are left out, and so is everything past the key limit, in document order.
 */
function metadataOf(fields: Map<string, unknown>, used: Set<string>): Metadata {
  const metadata: Metadata = {};
  for (const [path, value] of fields) {
    if (used.has(path) || isDropped(path)) continue;
    const key = path.split(".").join(METADATA_SEPARATOR);
    const scalar = metadataValue(value);
    if (scalar === undefined || Object.hasOwn(metadata, key) || !MetadataKey.safeParse(key).success) continue;
    metadata[key] = scalar;
    if (Object.keys(metadata).length === LOG_LIMITS.metadataKeys) break;
  }
  return metadata;
}

/** `first`'s keys, then those of `second` it lacks, within the key limit. */
export function mergeMetadata(first: Metadata | undefined, second: Metadata): Metadata | undefined {
  const merged: Metadata = { ...first };
  for (const [key, value] of Object.entries(second)) {
    if (Object.keys(merged).length >= LOG_LIMITS.metadataKeys) break;
    if (!Object.hasOwn(merged, key)) merged[key] = value;
  }
  return Object.keys(merged).length > 0 ? merged : undefined;
}

function isDropped(path: string): boolean {
  return (
    DROPPED_FIELDS.has(path) || (DROPPED_PREFIXES.some((prefix) => path.startsWith(prefix)) && path !== "host.name")
  );
}

function metadataValue(value: unknown): Scalar | undefined {
  if (typeof value === "string") return cut(value);
  if (typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value))) return value;
  if (Array.isArray(value) && value.every((item) => ["string", "number", "boolean"].includes(typeof item)))
    return cut(JSON.stringify(value));
  return undefined;
}

/** At most the value limit, never splitting a surrogate pair; a cut value ends in "…". */
function cut(text: string): string {
  if (text.length <= LOG_LIMITS.metadataValue) return text;
  const kept = text.slice(0, LOG_LIMITS.metadataValue - 1);
  return `${/[\uD800-\uDBFF]$/.test(kept) ? kept.slice(0, -1) : kept}…`;
}
