// The dashboard's numbers for ranges of an hour or more: the rollup documents
// of the window and of the period before it, read in one query, plus the
// fresh tail. On the embedded server every rollup query decodes the whole
// collection whatever it matches, so one read whose small per-quarter rows are
// summed here costs a sixth of separate $group queries per chart.
import type { Db } from "mongodb";
import type { LogSummary } from "@/lib/logs/summaries";
import { ROLLUP_DIMENSIONS, rollupsCollection, type RollupDimension } from "@/lib/rollups/rollups";
import { countTail, type TailCounts } from "./fresh-tail";
import { topOf, type Readings, type ValueCount } from "./readings";
import type { DashboardWindow } from "./window";

export async function readRollups(db: Db, window: DashboardWindow, tail: LogSummary[]): Promise<Readings> {
  const current = countTail(tail, window);
  const previousTail = countTail(tail, window.previous);
  const previous = { total: previousTail.logs, failed: sumFailed(previousTail) };
  const slots = new Map<number, { start: number; total: number; failed: number }>();
  for (const [start, counts] of current.quarters) slots.set(start, { start, ...counts });
  const values = current.values;

  const docs = rollupsCollection(db).find({ quarter: { $gte: window.previous.from, $lt: window.to } });
  for await (const doc of docs) {
    const start = doc.quarter.getTime();
    if (start < window.from.getTime()) {
      previous.total += doc.total;
      previous.failed += doc.failed;
      continue;
    }
    // A quarter has one document per checkpoint that covered some of its logs.
    const slot = slots.get(start) ?? { start, total: 0, failed: 0 };
    slot.total += doc.total;
    slot.failed += doc.failed;
    slots.set(start, slot);
    for (const dimension of ROLLUP_DIMENSIONS) {
      for (const entry of doc[dimension]) {
        const sum = values[dimension].get(entry.v) ?? { t: 0, f: 0 };
        sum.t += entry.t;
        sum.f += entry.f;
        values[dimension].set(entry.v, sum);
      }
    }
  }
  return {
    slots: [...slots.values()],
    previous,
    topFailingIps: top(values.ips, "f"),
    topFailingUsers: top(values.users, "f"),
    topActions: top(values.actions, "t"),
    distinctUsers: values.users.size,
    distinctIps: values.ips.size,
    freshLogs: current.logs,
  };
}

function top(values: TailCounts["values"][RollupDimension], by: "t" | "f"): ValueCount[] {
  return topOf([...values].map(([value, counts]) => [value, counts[by]]));
}

function sumFailed(counts: TailCounts): number {
  let failed = 0;
  for (const quarter of counts.quarters.values()) failed += quarter.failed;
  return failed;
}
