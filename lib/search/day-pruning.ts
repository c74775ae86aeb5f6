// Which days a search can skip without reading their parts: a day whose
// rollup (lib/rollups, derived at the same checkpoints, before the layout)
// counts no log with the filter's user, action or address, or none with its
// status. Only a day with a rollup is skipped, and only for what the rollup
// counts exactly; the fresh tail is never skipped.
import type { Db } from "mongodb";
import type { LogCriteria } from "@/lib/logs/filters";
import { ipKey, ipKeyRange } from "@/lib/net/ip";
import type { RollupEntry } from "@/lib/rollups/period-counts";
import { periodsCollection, unpackPeriod, type PeriodDoc } from "@/lib/rollups/rollups";

/** Null when the criteria name nothing a rollup counts: every day may match. */
export function dayPruner(db: Db, criteria: LogCriteria): ((day: string) => Promise<boolean>) | null {
  const { user, action, ip, status } = criteria;
  if (user === undefined && action === undefined && ip === undefined && status === undefined) return null;
  const range = ip === undefined ? undefined : ipKeyRange(ip);
  const counted = (entry: RollupEntry) => (status === "failed" ? entry.f : status === "success" ? entry.t - entry.f : entry.t) > 0;
  const inRange = (address: string) => {
    const key = ipKey(address);
    return key >= range!.low && key <= range!.high;
  };
  return async (day) => {
    const doc = await dayRollup(db, day);
    if (!doc) return true;
    if (status === "failed" ? doc.failed === 0 : status === "success" ? doc.total === doc.failed : doc.total === 0) return false;
    if (user !== undefined && !doc.users.some((entry) => entry.v === user && counted(entry))) return false;
    if (action !== undefined && !doc.actions.some((entry) => entry.v === action && counted(entry))) return false;
    if (range && !doc.ips.some((entry) => inRange(entry.v) && counted(entry))) return false;
    return true;
  };
}

async function dayRollup(db: Db, day: string): Promise<PeriodDoc | null> {
  const id = `d:${day}`;
  const stored = await periodsCollection(db, id).findOne({ _id: id });
  return stored && unpackPeriod(stored);
}
