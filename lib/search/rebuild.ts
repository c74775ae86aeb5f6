// Rebuilding the search layout from the logs themselves: after a restore, on
// a database from before the layout, or to prove it right. Readers use the
// logs collection until it is whole again. The old layout is removed while no
// derivation runs; then the logs through the latest derived checkpoint are
// streamed into new parts, while checkpoints after it add their own.
import type { Db } from "mongodb";
import { isDerivationRunning, latestDerived } from "@/lib/derived/derive";
import { logsCollection } from "@/lib/logs/collection";
import type { LogSummary } from "@/lib/logs/summaries";
import { rebuiltPartId, searchDays, searchParts, searchState, STATE_ID } from "./layout";
import { groupByHour, newPart, storeParts } from "./write";

const LOGS_PER_FLUSH = 20_000;
const MAX_ATTEMPTS = 10;
const SUMMARY_FIELDS = { _id: 1, sequence: 1, time: 1, ip: 1, user: 1, action: 1, status: 1, source: 1, message: 1, metadata: 1 } as const;

export type SearchRebuildResult = { checkpoint: number; logs: number; parts: number };

export async function rebuildSearchLayout(db: Db): Promise<SearchRebuildResult> {
  await searchState(db).updateOne({ _id: STATE_ID }, { $set: { since: 1, gap_at: 0 } }, { upsert: true });
  const through = await removeLayoutBetweenDerivations(db);
  let logs = 0;
  let parts = 0;
  let pending: LogSummary[] = [];
  const flush = async () => {
    const written = [...groupByHour(pending)].map(([hour, entries]) => newPart(rebuiltPartId(hour, through.number, parts++), hour, entries));
    await storeParts(db, written, through.number, { once: false });
    pending = [];
  };
  for await (const { _id, ...log } of logsCollection(db).find({ sequence: { $lt: through.end_sequence } }, { projection: SUMMARY_FIELDS })) {
    pending.push({ log_id: _id, ...log });
    logs++;
    if (pending.length >= LOGS_PER_FLUSH) await flush();
  }
  await flush();
  await searchState(db).updateOne({ _id: STATE_ID }, { $unset: { gap_at: "" } });
  return { checkpoint: through.number, logs, parts };
}

/** The latest derived checkpoint, with the layout removed while no derivation ran: every later one adds to the new layout. */
async function removeLayoutBetweenDerivations(db: Db) {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const through = await latestDerived(db);
    if (!(await isDerivationRunning(db, through.number))) {
      await searchParts(db).deleteMany({});
      await searchDays(db).deleteMany({});
      await searchState(db).updateOne({ _id: STATE_ID }, { $unset: { first_day: "", last_day: "" } });
      if ((await latestDerived(db)).number === through.number && !(await isDerivationRunning(db, through.number))) return through;
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  throw new Error(`checkpoints kept being derived while the search layout was removed (${MAX_ATTEMPTS} attempts); try again`);
}
