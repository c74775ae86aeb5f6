// The verifiable export: NDJSON, one object per line, each with a `type`.
//   export      the header: the filter, the checkpoints whose ranges follow
//   key         a checkpoint public key (as GET /api/integrity/public-key lists it)
//   checkpoint  a signed checkpoint; the lines of its range follow it
//   log         a log with everything its MAC covers, and the MAC
//   omitted     a log the filter leaves out: its leaf summary and content digest
// The same zod schemas read every line back for the offline verifier. Version 2
// adds `ingested_by` to log and omitted lines (absent for logs stored before
// it); version 1 exports still read and verify.
import { z } from "zod";
import type { LeafSummary, SignedLogFields } from "./canonical";
import type { PublicKeyInfo } from "./checkpoint-keys";
import type { SignedCheckpoint } from "./checkpoint-record";
import type { StoredLog } from "@/lib/records/logs/record";
import { logJson } from "@/lib/records/logs/log-json";
import { IngestedBy } from "@/lib/records/logs/provenance";
import { signedFieldsOf } from "@/lib/records/logs/record";
import { encodeCanonicalLog } from "./canonical";
import { sha256 } from "./merkle";

export const EXPORT_VERSION = "ledgerline/export/v2";
const EXPORT_VERSIONS = ["ledgerline/export/v1", EXPORT_VERSION] as const;

export type ExportHeader = {
  type: "export";
  version: (typeof EXPORT_VERSIONS)[number];
  created_at: string;
  /** The query parameters that select the exported logs (`from=…&to=…`); empty for everything. */
  filter: string;
  /** The ingestion bound on timestamps ahead of the receive time, which the anchor relies on. */
  max_future_skew_seconds: number;
  /** The first checkpoint whose range is in the export; the one before it, if any, is the anchor. */
  first_checkpoint: number;
  /** The latest checkpoint when the export began (0: none yet); every range up to it is in the export. */
  last_checkpoint: number;
};

export type ExportKeyLine = { type: "key" } & PublicKeyInfo;
export type ExportCheckpointLine = { type: "checkpoint" } & SignedCheckpoint;
export type ExportLogLine = { type: "log" } & Omit<SignedLogFields, "received_at"> & {
    received_at: Date | string;
    mac: string;
  };
export type ExportOmittedLine = { type: "omitted" } & Omit<LeafSummary, "received_at"> & {
    received_at: Date | string;
    content_digest: string;
  };
export type ExportLine = ExportHeader | ExportKeyLine | ExportCheckpointLine | ExportLogLine | ExportOmittedLine;

export function logLine(log: StoredLog): ExportLogLine {
  return { type: "log", ...logJson(log) };
}

export function omittedLine(log: StoredLog): ExportOmittedLine {
  const fields = signedFieldsOf(log);
  const { log_id: _logId, message: _message, metadata: _metadata, key_id: _keyId, ...summary } = fields;
  return { type: "omitted", ...summary, content_digest: sha256(encodeCanonicalLog(fields)).toString("hex") };
}

// Reading lines back: strict, so an added field is reported rather than ignored.
const IsoDate = z.iso.datetime({ offset: false, precision: 3 }).transform((text) => new Date(text));
const Sequence = z.int().min(0);
const Text = z.string();
const HexDigest = z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex characters");

const HeaderLine = z.strictObject({
  type: z.literal("export"),
  version: z.enum(EXPORT_VERSIONS, `must be one of ${EXPORT_VERSIONS.map((version) => `"${version}"`).join(", ")}`),
  created_at: IsoDate,
  filter: z.string(),
  max_future_skew_seconds: z.int().min(0),
  first_checkpoint: z.int().min(1),
  last_checkpoint: z.int().min(0),
});

const KeyLine = z.strictObject({ type: z.literal("key"), key_id: Text, pem: Text, active: z.boolean() });

// The checkpoint's own fields are checked by verifyCheckpoint, which never throws.
const CheckpointLine = z.looseObject({ type: z.literal("checkpoint"), number: z.int() });

// What a log's Merkle leaf shows in the clear (LeafSummary).
const SummaryFields = {
  sequence: Sequence,
  timestamp: Text,
  received_at: IsoDate,
  ip: Text.optional(),
  user: Text,
  action: Text,
  status: z.enum(["success", "failed"]),
  source: Text.optional(),
  ingested_by: IngestedBy.optional(),
};

const LogLine = z.strictObject({
  type: z.literal("log"),
  log_id: Text,
  ...SummaryFields,
  message: Text.optional(),
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  key_id: Text,
  mac: Text,
});

const OmittedLine = z.strictObject({ type: z.literal("omitted"), ...SummaryFields, content_digest: HexDigest });

const AnyLine = z.discriminatedUnion("type", [HeaderLine, KeyLine, CheckpointLine, LogLine, OmittedLine]);
export type ParsedLine = z.infer<typeof AnyLine>;
export type ParsedHeader = z.infer<typeof HeaderLine>;
export type ParsedLogLine = z.infer<typeof LogLine>;
export type ParsedOmittedLine = z.infer<typeof OmittedLine>;

/** One line parsed, or what is wrong with it (naming the field). */
export function parseExportLine(text: string): { line: ParsedLine } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { error: "is not valid JSON" };
  }
  const parsed = AnyLine.safeParse(json);
  if (parsed.success) return { line: parsed.data };
  const issue = parsed.error.issues[0]!;
  const field = issue.code === "unrecognized_keys" ? issue.keys.join(", ") : issue.path.join(".") || "type";
  return {
    error: `${field}: ${issue.code === "unrecognized_keys" ? "is not a field of this line type" : issue.message}`,
  };
}

export function signedFieldsOfLine({ type: _type, mac: _mac, ...fields }: ParsedLogLine): SignedLogFields {
  return fields;
}

export function summaryOfLine({ type: _type, content_digest: _digest, ...summary }: ParsedOmittedLine): LeafSummary {
  return summary;
}
