// Which days a search can skip without reading their parts: a day whose
// rollup (lib/derived/rollups, derived at the same checkpoints, before the layout)
// counts no log with any of the filter's users, any of its actions or any of
// its address ranges, or none with any of its statuses. Only a day with a
// rollup is skipped, and only for what the rollup counts exactly; exclusions
// never skip a day (the rollup cannot tell that every log is excluded), and
// the fresh tail is never skipped.
import type { Db } from "mongodb";
import type { LogCriteria } from "@/lib/records/logs/filters";
import { ipKey, ipKeyRange } from "@/lib/foundation/net/ip";
import type { RollupEntry } from "@/lib/derived/rollups/period-counts";
import { periodsCollection, unpackPeriod, type PeriodDoc } from "@/lib/derived/rollups/period-docs";

type Counts = { total: number; failed: number };

/** Null when the criteria name nothing a rollup counts: every day may match. */
export function dayPruner(db: Db, criteria: LogCriteria): ((day: string) => Promise<boolean>) | null {
  const { user, action, ip, status } = criteria;
  if (user === undefined && action === undefined && ip === undefined && status === undefined) return null;
  const users = user && new Set(user);
  const actions = action && new Set(action);
  const ranges = ip?.map(ipKeyRange);
  const counted = ({ total, failed }: Counts) =>
    (status ?? ["success", "failed"]).some((wanted) => (wanted === "failed" ? failed : total - failed) > 0);
  const countedEntry = (entry: RollupEntry) => counted({ total: entry.t, failed: entry.f });
  const inRanges = (address: string) => {
    const key = ipKey(address);
    return ranges!.some(({ low, high }) => key >= low && key <= high);
  };
  return async (day) => {
    const doc = await dayRollup(db, day);
    if (!doc) return true;
    if (!counted(doc)) return false;
    if (users && !doc.users.some((entry) => users.has(entry.v) && countedEntry(entry))) return false;
    if (actions && !doc.actions.some((entry) => actions.has(entry.v) && countedEntry(entry))) return false;
    if (ranges && !doc.ips.some((entry) => inRanges(entry.v) && countedEntry(entry))) return false;
    return true;
  };
}

async function dayRollup(db: Db, day: string): Promise<PeriodDoc | null> {
  const id = `d:${day}`;
  const stored = await periodsCollection(db, id).findOne({ _id: id });
  return stored && unpackPeriod(stored);
}
