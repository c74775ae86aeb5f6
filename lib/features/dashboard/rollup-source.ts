// The dashboard's numbers for ranges of an hour or more: the period documents
// covering the window and the period before it (see lib/derived/rollups/read.ts),
// plus the fresh tail. A tail log is counted only where its period's document
// does not count it yet (its sequence is at or past the document's
// through_end), so a derivation landing between the reads neither loses nor
// double-counts it.
import type { Db } from "mongodb";
import type { LogSummary } from "@/lib/records/logs/summaries";
import { PeriodCounts } from "@/lib/derived/rollups/period-counts";
import { readWindow, type CoveredWindow } from "@/lib/derived/rollups/read";
import { readFreshTail } from "@/lib/derived/derivation/fresh-tail";
import { alertTallies, topOf, type Readings } from "./readings";
import type { DashboardWindow } from "./window";

export async function readRollups(db: Db, window: DashboardWindow): Promise<Readings> {
  const tail = await readFreshTail(db);
  const [current, previous] = await Promise.all([
    readWindow(db, window.from, window.to),
    readWindow(db, window.previous.from, window.previous.to, { totalsOnly: true }),
  ]);
  return rollupReadings(tail, current, previous);
}

/** The window's numbers from its documents and the tail read before them. */
export function rollupReadings(tail: LogSummary[], current: CoveredWindow, previous: CoveredWindow): Readings {
  const counts = new PeriodCounts();
  for (const doc of current.docs()) counts.addFields(doc);
  const freshLogs = addUncounted(counts, tail, current);
  const before = new PeriodCounts();
  for (const doc of previous.docs()) before.addTotals(doc.total, doc.failed);
  addUncounted(before, tail, previous);

  const top = (dimension: "ips" | "users" | "actions", by: "t" | "f") =>
    topOf([...counts.values[dimension]].map(([value, sums]) => [value, sums[by]]));
  return {
    slots: [...counts.quarters].map(([start, sums]) => ({ start, ...sums })),
    previous: { total: before.total, failed: before.failed },
    topFailingIps: top("ips", "f"),
    topFailingUsers: top("users", "f"),
    topActions: top("actions", "t"),
    distinctUsers: counts.values.users.size,
    distinctIps: counts.values.ips.size,
    freshLogs,
    anomalies: alertTallies(current.docs()),
  };
}

/** Adds the tail logs inside the window that its documents do not count yet; returns how many. */
function addUncounted(counts: PeriodCounts, tail: LogSummary[], window: CoveredWindow): number {
  let added = 0;
  for (const log of tail) {
    const doc = window.docAt(log.time);
    if (doc === undefined || (doc && log.sequence < doc.through_end)) continue;
    counts.addLog(log);
    added++;
  }
  return added;
}
