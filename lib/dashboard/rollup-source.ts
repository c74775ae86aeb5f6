// The dashboard's numbers for ranges of an hour or more: rollups summed in the
// database over whole quarters, plus the fresh tail. Tail values can lift a
// value into a top 10, so the rollup counts of every tail value are read too:
// a value absent from the tail ranks no higher in the rollups than overall,
// which makes rollup top 10 ∪ tail values enough for the exact top 10.
import type { Db } from "mongodb";
import type { LogSummary } from "@/lib/logs/summaries";
import { distinctCount, quarterTotals, topValues, valueCounts } from "@/lib/rollups/read";
import type { RollupDimension } from "@/lib/rollups/rollups";
import { countTail, type TailCounts } from "./fresh-tail";
import { TOP_LIMIT, type Readings, type ValueCount } from "./readings";
import type { DashboardWindow } from "./window";

export async function readRollups(db: Db, window: DashboardWindow, tail: LogSummary[]): Promise<Readings> {
  const current = countTail(tail, window);
  const previousTail = countTail(tail, window.previous);
  const top = async (dimension: RollupDimension, by: "t" | "f") => {
    const tailValues = [...current.values[dimension].keys()];
    const [rollupTop, ofTailValues] = await Promise.all([topValues(db, dimension, window, by, TOP_LIMIT), valueCounts(db, dimension, window, by, tailValues)]);
    return { top: mergeTop(rollupTop, ofTailValues, current, dimension, by), present: new Set(ofTailValues.keys()) };
  };
  const [quarters, ips, users, actions, rollupUsers, rollupIps] = await Promise.all([
    quarterTotals(db, { from: window.previous.from, to: window.to }),
    top("ips", "f"),
    top("users", "f"),
    top("actions", "t"),
    distinctCount(db, "users", window),
    distinctCount(db, "ips", window),
  ]);

  const slots = new Map<number, { start: number; total: number; failed: number }>();
  const previous = { total: previousTail.logs, failed: sumFailed(previousTail) };
  for (const quarter of quarters) {
    const start = quarter.quarter.getTime();
    if (start < window.from.getTime()) {
      previous.total += quarter.total;
      previous.failed += quarter.failed;
    } else slots.set(start, { start, total: quarter.total, failed: quarter.failed });
  }
  for (const [start, counts] of current.quarters) {
    const slot = slots.get(start) ?? { start, total: 0, failed: 0 };
    slot.total += counts.total;
    slot.failed += counts.failed;
    slots.set(start, slot);
  }
  return {
    slots: [...slots.values()],
    previous,
    topFailingIps: ips.top,
    topFailingUsers: users.top,
    topActions: actions.top,
    // Tail values already in the window's rollups are counted there.
    distinctUsers: rollupUsers + [...current.values.users.keys()].filter((user) => !users.present.has(user)).length,
    distinctIps: rollupIps + [...current.values.ips.keys()].filter((ip) => !ips.present.has(ip)).length,
    freshLogs: current.logs,
  };
}

function mergeTop(rollupTop: ValueCount[], ofTailValues: Map<string, number>, tail: TailCounts, dimension: RollupDimension, by: "t" | "f"): ValueCount[] {
  const counts = new Map(rollupTop.map((row) => [row.value, row.count]));
  for (const [value, tailCounts] of tail.values[dimension]) counts.set(value, (ofTailValues.get(value) ?? 0) + tailCounts[by]);
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .filter((row) => row.count > 0)
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
    .slice(0, TOP_LIMIT);
}

function sumFailed(counts: TailCounts): number {
  let failed = 0;
  for (const quarter of counts.quarters.values()) failed += quarter.failed;
  return failed;
}
