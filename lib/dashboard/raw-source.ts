// The dashboard's numbers for ranges under an hour, which whole quarters would
// blur: $match on time + $group + $sum over the logs themselves. On the
// embedded server each query scans the logs, so there are two: counts per
// minute and status (series, totals, the period before), and counts per
// combination of ip, user, action and status (tops and distinct values; rows
// grow with the variety of the traffic, not its volume).
import type { Db } from "mongodb";
import { logsCollection } from "@/lib/logs/collection";
import { QUARTER_MS } from "@/lib/rollups/periods";
import { readWindow } from "@/lib/rollups/read";
import { alertTallies, topOf, type Readings } from "./readings";
import { MINUTE_MS, type DashboardWindow } from "./window";

type Status = "success" | "failed";
type MinuteRow = { _id: { m: Date | null; s: Status }; count: number };
type ComboRow = { _id: { ip: string; user: string; action: string; s: Status }; count: number };

export async function readRawLogs(db: Db, window: DashboardWindow): Promise<Readings> {
  const logs = logsCollection(db);
  // Alerts are counted by the quarter they start in: the window's quarters, widened to whole ones.
  const quarters = { from: new Date(Math.floor(window.from.getTime() / QUARTER_MS) * QUARTER_MS), to: new Date(Math.ceil(window.to.getTime() / QUARTER_MS) * QUARTER_MS) };
  const [minutes, combos, alerts] = await Promise.all([
    logs.aggregate<MinuteRow>([{ $match: { time: { $gte: window.previous.from, $lt: window.to } } }, { $group: { _id: { m: "$minute", s: "$status" }, count: { $sum: 1 } } }]).toArray(),
    logs
      .aggregate<ComboRow>([{ $match: { time: { $gte: window.from, $lt: window.to } } }, { $group: { _id: { ip: "$ip", user: "$user", action: "$action", s: "$status" }, count: { $sum: 1 } } }])
      .toArray(),
    readWindow(db, quarters.from, quarters.to),
  ]);

  const slots = new Map<number, { start: number; total: number; failed: number }>();
  const previous = { total: 0, failed: 0 };
  for (const row of await withMinutes(db, minutes, window)) {
    const start = row._id.m!.getTime();
    const failed = row._id.s === "failed" ? row.count : 0;
    if (start < window.from.getTime()) {
      previous.total += row.count;
      previous.failed += failed;
      continue;
    }
    const slot = slots.get(start) ?? { start, total: 0, failed: 0 };
    slot.total += row.count;
    slot.failed += failed;
    slots.set(start, slot);
  }
  const sums = { ip: new Map<string, number>(), user: new Map<string, number>(), action: new Map<string, number>() };
  const failures = { ip: new Map<string, number>(), user: new Map<string, number>() };
  for (const { _id: combo, count } of combos) {
    for (const field of ["ip", "user", "action"] as const) sums[field].set(combo[field], (sums[field].get(combo[field]) ?? 0) + count);
    if (combo.s === "failed") for (const field of ["ip", "user"] as const) failures[field].set(combo[field], (failures[field].get(combo[field]) ?? 0) + count);
  }
  return {
    slots: [...slots.values()],
    previous,
    topFailingIps: topOf(failures.ip),
    topFailingUsers: topOf(failures.user),
    topActions: topOf(sums.action),
    distinctUsers: sums.user.size,
    distinctIps: sums.ip.size,
    freshLogs: 0,
    anomalies: alertTallies(alerts.docs()),
  };
}

// Logs stored before the minute field existed are grouped by their exact time instead.
async function withMinutes(db: Db, rows: MinuteRow[], window: DashboardWindow): Promise<MinuteRow[]> {
  if (rows.every((row) => row._id.m)) return rows;
  const byTime = await logsCollection(db)
    .aggregate<{ _id: { t: Date; s: Status }; count: number }>([
      { $match: { time: { $gte: window.previous.from, $lt: window.to }, minute: { $exists: false } } },
      { $group: { _id: { t: "$time", s: "$status" }, count: { $sum: 1 } } },
    ])
    .toArray();
  const minuteOf = (time: Date) => new Date(Math.floor(time.getTime() / MINUTE_MS) * MINUTE_MS);
  return [...rows.filter((row) => row._id.m), ...byTime.map((row) => ({ _id: { m: minuteOf(row._id.t), s: row._id.s }, count: row.count }))];
}
