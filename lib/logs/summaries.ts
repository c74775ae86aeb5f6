// What derived data (rollups, alerts) needs of each accepted log, recorded
// with the settlement of its sequence block: the checkpoint writer folds the
// settled blocks into rollups and alerts without reading the logs back.
// Stored as columns (one array per field) packed into one binary value: the
// embedded server decodes every array element of every document it reads or
// deletes, and as seven arrays of 500 values a settlement cost it 17 ms to
// insert and ~20 ms to read or delete, against 5 ms and 2 ms packed. The
// packed JSON is deflated: that server's cost grows with the bytes (a 66 kB
// settlement took 3.1 ms of its CPU to insert, 26 kB 1.8 ms), and 500 logs'
// columns shrink from ~56 kB to ~18 kB for ~0.5 ms here (ingest bench: HTTP
// logs/s +2 to +4 % in three interleaved pairs of runs).
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { Binary } from "mongodb";
import type { StoredLog } from "./record";

export type LogSummary = { log_id: string; sequence: number; time: Date; ip: string; user: string; action: string; status: "success" | "failed" };

/** The columns as packed: times in epoch milliseconds, failed as 1/0. */
type PackedColumns = {
  log_ids: string[];
  sequences: number[];
  times: number[];
  ips: string[];
  users: string[];
  actions: string[];
  failed: (0 | 1)[];
};

/** Settlements written before packing hold the columns as arrays. */
type UnpackedColumns = Omit<PackedColumns, "times" | "failed"> & { times: Date[]; failed: boolean[] };

/** One block's summaries as stored: UTF-8 JSON of the columns in a binary value, deflated (subtype DEFLATED_JSON) or, before that, not. */
export type SummaryColumns = Binary | UnpackedColumns;

/** A user-defined binary subtype: raw-deflated UTF-8 JSON. */
const DEFLATED_JSON = 0x80;
/** Fast: the bytes saved cost the server more than a higher level costs here. */
const DEFLATE_LEVEL = 1;

export function summaryColumns(logs: Iterable<Pick<StoredLog, "_id" | "sequence" | "time" | "ip" | "user" | "action" | "status">>): SummaryColumns {
  const columns: PackedColumns = { log_ids: [], sequences: [], times: [], ips: [], users: [], actions: [], failed: [] };
  for (const log of logs) {
    columns.log_ids.push(log._id);
    columns.sequences.push(log.sequence);
    columns.times.push(log.time.getTime());
    columns.ips.push(log.ip);
    columns.users.push(log.user);
    columns.actions.push(log.action);
    columns.failed.push(log.status === "failed" ? 1 : 0);
  }
  return new Binary(deflateRawSync(JSON.stringify(columns), { level: DEFLATE_LEVEL }), DEFLATED_JSON);
}

export function* summariesOf(stored: SummaryColumns): Generator<LogSummary> {
  const columns: PackedColumns | UnpackedColumns = stored instanceof Binary ? (JSON.parse(packedText(stored)) as PackedColumns) : stored;
  for (let index = 0; index < columns.log_ids.length; index++) {
    yield {
      log_id: columns.log_ids[index]!,
      sequence: columns.sequences[index]!,
      time: new Date(columns.times[index]!),
      ip: columns.ips[index]!,
      user: columns.users[index]!,
      action: columns.actions[index]!,
      status: columns.failed[index] ? "failed" : "success",
    };
  }
}

function packedText(stored: Binary): string {
  const bytes = Buffer.from(stored.buffer);
  return (stored.sub_type === DEFLATED_JSON ? inflateRawSync(bytes) : bytes).toString("utf8");
}
