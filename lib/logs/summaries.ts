// What derived data (rollups, alerts) needs of each accepted log, recorded
// with the settlement of its sequence block: the checkpoint writer folds the
// settled blocks into rollups and alerts without reading the logs back.
// Stored as columns (one array per field) to keep settlements small.
import type { StoredLog } from "./record";

export type LogSummary = { log_id: string; sequence: number; time: Date; ip: string; user: string; action: string; status: "success" | "failed" };

export type SummaryColumns = {
  log_ids: string[];
  sequences: number[];
  times: Date[];
  ips: string[];
  users: string[];
  actions: string[];
  /** One per log: true when it failed. */
  failed: boolean[];
};

export function summaryColumns(logs: Iterable<Pick<StoredLog, "_id" | "sequence" | "time" | "ip" | "user" | "action" | "status">>): SummaryColumns {
  const columns: SummaryColumns = { log_ids: [], sequences: [], times: [], ips: [], users: [], actions: [], failed: [] };
  for (const log of logs) {
    columns.log_ids.push(log._id);
    columns.sequences.push(log.sequence);
    columns.times.push(log.time);
    columns.ips.push(log.ip);
    columns.users.push(log.user);
    columns.actions.push(log.action);
    columns.failed.push(log.status === "failed");
  }
  return columns;
}

export function* summariesOf(columns: SummaryColumns): Generator<LogSummary> {
  for (let index = 0; index < columns.log_ids.length; index++) {
    yield {
      log_id: columns.log_ids[index]!,
      sequence: columns.sequences[index]!,
      time: columns.times[index]!,
      ip: columns.ips[index]!,
      user: columns.users[index]!,
      action: columns.actions[index]!,
      status: columns.failed[index] ? "failed" : "success",
    };
  }
}
