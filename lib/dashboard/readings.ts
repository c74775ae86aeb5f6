// What both sources of the dashboard's numbers (rollups, raw logs) return.
import type { SlotCounts } from "./buckets";

export type ValueCount = { value: string; count: number };

export type Readings = {
  /** Slots of the window with logs (quarters or minutes), in any order. */
  slots: SlotCounts[];
  previous: { total: number; failed: number };
  topFailingIps: ValueCount[];
  topFailingUsers: ValueCount[];
  topActions: ValueCount[];
  distinctUsers: number;
  distinctIps: number;
  /** Logs counted from the fresh tail (settled, not yet in rollups). */
  freshLogs: number;
};

export const TOP_LIMIT = 10;
