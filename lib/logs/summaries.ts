// What derived data (rollups, alerts) needs of each accepted log, recorded
// with the settlement of its sequence block: the checkpoint writer folds the
// settled blocks into rollups and alerts without reading the logs back.
// Stored as columns (one array per field) packed into one binary value
// (lib/db/packed-json.ts): as seven arrays of 500 values a settlement cost the
// embedded server 17 ms to insert and ~20 ms to read or delete, against 5 ms
// and 2 ms packed; deflating the packed JSON then gained the ingest bench 2 to
// 4 % more HTTP logs/s in three interleaved pairs of runs.
import { Binary } from "mongodb";
import { packedJsonText, packJson } from "@/lib/db/packed-json";
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

/** One block's summaries as stored: the columns packed, or (before packing) as arrays. */
export type SummaryColumns = Binary | UnpackedColumns;

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
  return packJson(columns);
}

export function* summariesOf(stored: SummaryColumns): Generator<LogSummary> {
  const columns: PackedColumns | UnpackedColumns = stored instanceof Binary ? (JSON.parse(packedJsonText(stored)) as PackedColumns) : stored;
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

