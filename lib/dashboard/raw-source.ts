// The dashboard's numbers for ranges under an hour, which whole quarters would
// blur: $match on time + $group + $sum over the logs themselves, by the
// precomputed minute. On the embedded server each is a scan of the logs.
import type { Db } from "mongodb";
import { logsCollection } from "@/lib/logs/collection";
import { TOP_LIMIT, type Readings, type ValueCount } from "./readings";
import { MINUTE_MS, type DashboardWindow, type TimeWindow } from "./window";

type MinuteRow = { _id: { m: Date | null; s: "success" | "failed" }; count: number };

export async function readRawLogs(db: Db, window: DashboardWindow): Promise<Readings> {
  const logs = logsCollection(db);
  const inWindow = (range: TimeWindow) => ({ time: { $gte: range.from, $lt: range.to } });
  const top = (field: "ip" | "user" | "action", failedOnly: boolean) =>
    logs
      .aggregate<{ _id: string; count: number }>([
        { $match: { ...inWindow(window), ...(failedOnly && { status: "failed" }) } },
        { $group: { _id: `$${field}`, count: { $sum: 1 } } },
        { $sort: { count: -1, _id: 1 } },
        { $limit: TOP_LIMIT },
      ])
      .toArray();
  const distinct = async (field: "ip" | "user") =>
    (await logs.aggregate<{ count: number }>([{ $match: inWindow(window) }, { $group: { _id: `$${field}` } }, { $count: "count" }]).toArray())[0]?.count ?? 0;
  const [minutes, ips, users, actions, distinctUsers, distinctIps] = await Promise.all([
    logs.aggregate<MinuteRow>([{ $match: inWindow({ from: window.previous.from, to: window.to }) }, { $group: { _id: { m: "$minute", s: "$status" }, count: { $sum: 1 } } }]).toArray(),
    top("ip", true),
    top("user", true),
    top("action", false),
    distinct("user"),
    distinct("ip"),
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
  const rows = (list: { _id: string; count: number }[]): ValueCount[] => list.map((row) => ({ value: row._id, count: row.count }));
  return { slots: [...slots.values()], previous, topFailingIps: rows(ips), topFailingUsers: rows(users), topActions: rows(actions), distinctUsers, distinctIps, freshLogs: 0 };
}

// Logs stored before the minute field existed are grouped by their exact time instead.
async function withMinutes(db: Db, rows: MinuteRow[], window: DashboardWindow): Promise<MinuteRow[]> {
  if (rows.every((row) => row._id.m)) return rows;
  const byTime = await logsCollection(db)
    .aggregate<{ _id: { t: Date; s: "success" | "failed" }; count: number }>([
      { $match: { time: { $gte: window.previous.from, $lt: window.to }, minute: { $exists: false } } },
      { $group: { _id: { t: "$time", s: "$status" }, count: { $sum: 1 } } },
    ])
    .toArray();
  const minuteOf = (time: Date) => new Date(Math.floor(time.getTime() / MINUTE_MS) * MINUTE_MS);
  return [...rows.filter((row) => row._id.m), ...byTime.map((row) => ({ _id: { m: minuteOf(row._id.t), s: row._id.s }, count: row.count }))];
}
