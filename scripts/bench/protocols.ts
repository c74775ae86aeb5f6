// The same logs in each way a sender can post them: our JSON, the
// Elasticsearch bulk API (ECS documents), OTLP/HTTP JSON and raw syslog lines
// (one sshd line per log), with how each answers a batch it fully took.
import type { GeneratedLogInput } from "@/lib/features/generators/logs";
import type { MetadataValue } from "@/lib/records/integrity/canonical";

export const INGEST_PROTOCOLS = ["json", "bulk", "otlp", "syslog"] as const;
export type IngestProtocol = (typeof INGEST_PROTOCOLS)[number];

export type EncodedBatch = { path: string; contentType: string; body: string };

export function encodeBatch(protocol: IngestProtocol, inputs: GeneratedLogInput[]): EncodedBatch {
  switch (protocol) {
    case "json":
      return { path: "/api/logs", contentType: "application/json", body: JSON.stringify(inputs) };
    case "bulk":
      return { path: "/_bulk", contentType: "application/x-ndjson", body: inputs.map(bulkPair).join("") };
    case "otlp":
      return { path: "/v1/logs", contentType: "application/json", body: JSON.stringify(otlpRequest(inputs)) };
    case "syslog":
      return { path: "/api/logs/syslog", contentType: "text/plain", body: inputs.map(sshdLine).join("\n") };
  }
}

/** Throws unless the answer says every one of `count` logs was stored. */
export function checkAnswer(protocol: IngestProtocol, status: number, answer: unknown, count: number): void {
  const body = answer as Record<string, unknown>;
  const stored =
    protocol === "json" || protocol === "syslog"
      ? status === 201 && body.accepted === count
      : protocol === "bulk"
        ? status === 200 && body.errors === false && (body.items as unknown[]).length === count
        : status === 200 &&
          !(Number((body.partialSuccess as { rejectedLogRecords?: unknown } | undefined)?.rejectedLogRecords ?? 0) > 0);
  if (!stored) throw new Error(`${protocol}: answered ${status}: ${JSON.stringify(answer).slice(0, 500)}`);
}

function bulkPair(input: GeneratedLogInput): string {
  const document = {
    "@timestamp": input.timestamp,
    source: { ip: input.ip },
    user: { name: input.user },
    event: { action: input.action, outcome: input.status === "failed" ? "failure" : "success" },
    ...(input.source !== undefined && { service: { name: input.source } }),
    ...(input.message !== undefined && { message: input.message }),
    ...(input.metadata !== undefined && { labels: input.metadata }),
  };
  return `${JSON.stringify({ create: { _id: input.log_id } })}\n${JSON.stringify(document)}\n`;
}

type OtlpValue = { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean };

function otlpValue(value: MetadataValue): OtlpValue {
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
}

/** One resource per source, as a collector groups records by the service that wrote them. */
function otlpRequest(inputs: GeneratedLogInput[]) {
  const bySource = new Map<string | undefined, GeneratedLogInput[]>();
  for (const input of inputs) bySource.set(input.source, [...(bySource.get(input.source) ?? []), input]);
  return {
    resourceLogs: [...bySource].map(([source, records]) => ({
      resource: { attributes: source === undefined ? [] : [{ key: "service.name", value: { stringValue: source } }] },
      scopeLogs: [{ logRecords: records.map(otlpRecord) }],
    })),
  };
}

function otlpRecord(input: GeneratedLogInput) {
  const attributes: Record<string, MetadataValue> = {
    "log.record.uid": input.log_id,
    "client.address": input.ip,
    "user.name": input.user,
    "event.name": input.action,
    "event.outcome": input.status === "failed" ? "failure" : "success",
    ...input.metadata,
  };
  return {
    timeUnixNano: `${Date.parse(input.timestamp)}000000`,
    ...(input.message !== undefined && { body: { stringValue: input.message } }),
    attributes: Object.entries(attributes).map(([key, value]) => ({ key, value: otlpValue(value) })),
  };
}

// A syslog line's log id is a hash of the line: the log id's digits make the
// client port and its prefix (a warm-up's copy) the host, so that no two lines
// of a run are identical.
function sshdLine(input: GeneratedLogInput): string {
  const outcome = input.status === "failed" ? "Failed" : "Accepted";
  const port = 1024 + (Number.parseInt(input.log_id.replace(/\D/g, "").slice(-6) || "0", 10) % 64_000);
  const host = `bench-${input.log_id.split("-")[0]}`;
  return `${input.timestamp} ${host} sshd[4242]: ${outcome} password for ${input.user} from ${input.ip} port ${port} ssh2`;
}
