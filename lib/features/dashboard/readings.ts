// What both sources of the dashboard's numbers (rollups, raw logs) return.
import type { FindingType, Severity } from "@/lib/records/anomaly";
import type { PeriodDoc } from "@/lib/derived/rollups/period-docs";
import type { SlotCounts } from "./buckets";

export type ValueCount = { value: string; count: number };
export type AnomalyCount = { type: FindingType; severity: Severity; count: number };

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
  /** Alerts starting in the window's quarters, per type and severity. */
  anomalies: AnomalyCount[];
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

export function alertTallies(docs: Iterable<Pick<PeriodDoc, "alerts">>): AnomalyCount[] {
  const counts = new Map<string, AnomalyCount>();
  for (const doc of docs) {
    for (const { type, severity, n } of doc.alerts) {
      const key = `${type}/${severity}`;
      const sum = counts.get(key) ?? { type, severity, count: 0 };
      sum.count += n;
      counts.set(key, sum);
    }
  }
  return [...counts.values()].filter((sum) => sum.count > 0);
}
