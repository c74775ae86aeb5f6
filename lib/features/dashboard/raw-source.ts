// The dashboard's numbers for ranges under an hour, which whole quarters would
// blur: counts per minute and status (series, totals, the period before) and
// per combination of ip, user, action and status (tops and distinct values),
// summed over the search layout's logs of the window and the one before (an
// hour or two of parts), or, without a whole layout, by two $group
// aggregations over the logs collection (each a full scan on the embedded server).
import type { Db } from "mongodb";
import { logsCollection } from "@/lib/records/logs/collection";
import { QUARTER_MS } from "@/lib/derived/rollups/periods";
import { readWindow } from "@/lib/derived/rollups/read";
import { searchLogs } from "@/lib/derived/search/read";
import { alertTallies, topOf, type Readings } from "./readings";
import { MINUTE_MS, type DashboardWindow } from "./window";

type Status = "success" | "failed";
type MinuteRow = { _id: { m: Date | null; s: Status }; count: number };
/** ip is null (or absent) for events without an address, which no address count includes. */
type ComboRow = { _id: { ip?: string | null; user: string; action: string; s: Status }; count: number };
type Rows = { minutes: MinuteRow[]; combos: ComboRow[] };

export async function readRawLogs(db: Db, window: DashboardWindow): Promise<Readings> {
  // Alerts are counted by the quarter they start in: the window's quarters, widened to whole ones.
  const quarters = {
    from: new Date(Math.floor(window.from.getTime() / QUARTER_MS) * QUARTER_MS),
    to: new Date(Math.ceil(window.to.getTime() / QUARTER_MS) * QUARTER_MS),
  };
  const [{ minutes, combos }, alerts] = await Promise.all([
    countLogs(db, window),
    readWindow(db, quarters.from, quarters.to),
  ]);

  const slots = new Map<number, { start: number; total: number; failed: number }>();
  const previous = { total: 0, failed: 0 };
  for (const row of minutes) {
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
  const add = (into: Map<string, number>, value: string | null | undefined, count: number) => {
    if (value != null) into.set(value, (into.get(value) ?? 0) + count);
  };
  for (const { _id: combo, count } of combos) {
    for (const field of ["ip", "user", "action"] as const) add(sums[field], combo[field], count);
    if (combo.s === "failed") for (const field of ["ip", "user"] as const) add(failures[field], combo[field], count);
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

async function countLogs(db: Db, window: DashboardWindow): Promise<Rows> {
  // The window's end is exclusive; times are whole milliseconds.
  const entries = await searchLogs(
    db,
    { from: window.previous.from, to: new Date(window.to.getTime() - 1) },
    { direction: "asc" },
  );
  if (!entries) return aggregateLogs(db, window);
  const minutes = new Map<string, MinuteRow>();
  const combos = new Map<string, ComboRow>();
  for await (const { time, status: s, ip, user, action } of entries) {
    const m = new Date(Math.floor(time.getTime() / MINUTE_MS) * MINUTE_MS);
    bump(minutes, `${m.getTime()}/${s}`, { m, s });
    if (time >= window.from) bump(combos, JSON.stringify([ip, user, action, s]), { ip, user, action, s });
  }
  return { minutes: [...minutes.values()], combos: [...combos.values()] };
}

function bump<K>(rows: Map<string, { _id: K; count: number }>, key: string, id: K): void {
  const row = rows.get(key);
  if (row) row.count++;
  else rows.set(key, { _id: id, count: 1 });
}

async function aggregateLogs(db: Db, window: DashboardWindow): Promise<Rows> {
  const logs = logsCollection(db);
  const [minutes, combos] = await Promise.all([
    logs
      .aggregate<MinuteRow>([
        { $match: { time: { $gte: window.previous.from, $lt: window.to } } },
        { $group: { _id: { m: "$minute", s: "$status" }, count: { $sum: 1 } } },
      ])
      .toArray(),
    logs
      .aggregate<ComboRow>([
        { $match: { time: { $gte: window.from, $lt: window.to } } },
        { $group: { _id: { ip: "$ip", user: "$user", action: "$action", s: "$status" }, count: { $sum: 1 } } },
      ])
      .toArray(),
  ]);
  return { minutes: await withMinutes(db, minutes, window), combos };
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
  return [
    ...rows.filter((row) => row._id.m),
    ...byTime.map((row) => ({ _id: { m: minuteOf(row._id.t), s: row._id.s }, count: row.count })),
  ];
}
