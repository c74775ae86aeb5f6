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

/** The TOP_LIMIT values with the highest counts above zero, ties in value order. */
export function topOf(counts: Iterable<[string, number]>): ValueCount[] {
  return [...counts]
    .filter(([, count]) => count > 0)
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
    .slice(0, TOP_LIMIT);
}
