// What derived data (rollups, alerts, the search layout) needs of each
// accepted log, recorded with the settlement of its sequence block: the
// checkpoint writer derives from the settled blocks without reading the logs
// back. Stored as columns (one array per field) packed into one binary value
// (lib/platform/db/packed-json.ts): as seven arrays of 500 values a settlement
// costs the embedded server 17 ms to insert and ~20 ms to read or delete,
// against 5 ms and 2 ms packed.
import { Binary } from "mongodb";
import type { MetadataValue, SignedLogFields } from "@/lib/records/integrity/canonical";
import { packedJsonText, packJson } from "@/lib/platform/db/packed-json";
import type { StoredLog } from "./record";

/** A log's signed fields that derived data reads, with its time parsed; source, message and metadata (what the search layout filters on) are absent from summaries written before it existed. */
export type LogSummary = Pick<
  SignedLogFields,
  "log_id" | "sequence" | "ip" | "user" | "action" | "status" | "source" | "message" | "metadata" | "ingested_by"
> & { time: Date };

/** The columns as packed: times in epoch milliseconds, failed as 1/0, absent optional fields as null. */
type PackedColumns = {
  log_ids: string[];
  sequences: number[];
  times: number[];
  /** null for a log without an address. */
  ips: (string | null)[];
  users: string[];
  actions: string[];
  failed: (0 | 1)[];
  sources?: (string | null)[];
  messages?: (string | null)[];
  metadata?: (Record<string, MetadataValue> | null)[];
  ingested_by?: (string | null)[];
};

/** Settlements written before packing hold the columns as arrays. */
type UnpackedColumns = Omit<PackedColumns, "times" | "failed" | "sources" | "messages" | "metadata" | "ingested_by"> & {
  times: Date[];
  failed: boolean[];
};

/** One block's summaries as stored: the columns packed, or (before packing) as arrays. */
export type SummaryColumns = Binary | UnpackedColumns;

type SummarisedLog = Pick<
  StoredLog,
  "_id" | "sequence" | "time" | "ip" | "user" | "action" | "status" | "source" | "message" | "metadata" | "ingested_by"
>;

export function summaryColumns(logs: Iterable<SummarisedLog>): SummaryColumns {
  const columns: Required<PackedColumns> = {
    log_ids: [],
    sequences: [],
    times: [],
    ips: [],
    users: [],
    actions: [],
    failed: [],
    sources: [],
    messages: [],
    metadata: [],
    ingested_by: [],
  };
  for (const log of logs) {
    columns.log_ids.push(log._id);
    columns.sequences.push(log.sequence);
    columns.times.push(log.time.getTime());
    columns.ips.push(log.ip ?? null);
    columns.users.push(log.user);
    columns.actions.push(log.action);
    columns.failed.push(log.status === "failed" ? 1 : 0);
    columns.sources.push(log.source ?? null);
    columns.messages.push(log.message ?? null);
    columns.metadata.push(log.metadata ?? null);
    columns.ingested_by.push(log.ingested_by ?? null);
  }
  return packJson(columns);
}

export function summariesOf(stored: SummaryColumns): LogSummary[] {
  return unpackSummaries(stored).logs;
}

/** The summaries, and whether they carry the fields the search layout needs (those written before it do not). */
export function unpackSummaries(stored: SummaryColumns): { logs: LogSummary[]; searchable: boolean } {
  const columns: PackedColumns | UnpackedColumns =
    stored instanceof Binary ? (JSON.parse(packedJsonText(stored)) as PackedColumns) : stored;
  const logs: LogSummary[] = [];
  for (let index = 0; index < columns.log_ids.length; index++) {
    const ip = columns.ips[index];
    logs.push({
      log_id: columns.log_ids[index]!,
      sequence: columns.sequences[index]!,
      time: new Date(columns.times[index]!),
      ...(ip != null && { ip }),
      user: columns.users[index]!,
      action: columns.actions[index]!,
      status: columns.failed[index] ? "failed" : "success",
      ...optionalFields(columns, index),
    });
  }
  return { logs, searchable: "messages" in columns };
}

type OptionalFields = Pick<LogSummary, "source" | "message" | "metadata" | "ingested_by">;

function optionalFields(columns: PackedColumns | UnpackedColumns, index: number): OptionalFields {
  if (!("messages" in columns)) return {};
  const fields: OptionalFields = {};
  const source = columns.sources?.[index];
  const message = columns.messages?.[index];
  const metadata = columns.metadata?.[index];
  const ingestedBy = columns.ingested_by?.[index];
  if (source != null) fields.source = source;
  if (message != null) fields.message = message;
  if (metadata != null) fields.metadata = metadata;
  if (ingestedBy != null) fields.ingested_by = ingestedBy;
  return fields;
}
