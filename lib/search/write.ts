// Writing the search layout at checkpoint N, in checkpoint order like the
// rollups, and safe to run again for the same N: each hour's logs go into an
// insert-only part named after N, then each day's list of parts is replaced
// only if it is still the one read (re-read and retried otherwise) and only
// if it does not count N yet. An hour with many parts (live traffic adds one
// per checkpoint) has its small parts merged into parts of up to
// MERGED_PART_LOGS logs; the parts merged away are deleted once no list names
// them (a crash in between leaves unnamed parts that no reader looks at).
import type { Db } from "mongodb";
import { isOnlyDuplicateKeyErrors } from "@/lib/db/errors";
import { findByIds } from "@/lib/db/find-by-ids";
import { summariesOf, summaryColumns, type LogSummary } from "@/lib/logs/summaries";
import { forEachConcurrently } from "@/lib/util/concurrently";
import {
  checkpointPartId,
  dayOfHour,
  hourKey,
  hourOf,
  mergedPartId,
  readDayParts,
  searchDays,
  searchParts,
  searchState,
  STATE_ID,
  type SearchPart,
} from "./layout";

/** An hour is merged once it has more parts than this. */
const MERGE_AFTER_PARTS = 8;
const MERGED_PART_LOGS = 5_000;
const DAYS_IN_FLIGHT = 4;

type Through = { number: number };

/** Adds checkpoint N's logs to the layout; `searchable` false (summaries from before the layout) leaves a gap that reads avoid. */
export async function writeSearchLayout(db: Db, checkpoint: Through, logs: LogSummary[], searchable: boolean): Promise<void> {
  if (!searchable) {
    await searchState(db).updateOne({ _id: STATE_ID }, { $min: { gap_at: checkpoint.number } });
    return;
  }
  // Before the parts: storing them widens the bounds the state document records.
  if (checkpoint.number === 1) await searchState(db).updateOne({ _id: STATE_ID }, { $setOnInsert: { since: 1 } }, { upsert: true });
  const parts = [...groupByHour(logs)].map(([hour, entries]) => newPart(checkpointPartId(hour, checkpoint.number), hour, entries));
  await storeParts(db, parts, checkpoint.number, { once: true });
}

/** Inserts the parts (at most one per hour), lists them in their days (see addPartsToDay) and widens the layout's bounds to those days. */
export async function storeParts(db: Db, parts: SearchPart[], checkpoint: number, { once }: { once: boolean }): Promise<void> {
  await insertParts(db, parts);
  const byDay = new Map<string, Record<string, string>>();
  for (const part of parts) byDay.set(dayOfHour(part.hour), { ...byDay.get(dayOfHour(part.hour)), [part.hour]: part._id });
  await forEachConcurrently(byDay, DAYS_IN_FLIGHT, ([day, added]) => addPartsToDay(db, day, added, checkpoint, { once }));
  await recordDays(db, [...byDay.keys()]);
}

export function groupByHour(logs: LogSummary[]): Map<string, LogSummary[]> {
  const byHour = new Map<string, LogSummary[]>();
  for (const log of logs) {
    const hour = hourOf(log.time);
    const entries = byHour.get(hour);
    if (entries) entries.push(log);
    else byHour.set(hour, [log]);
  }
  return byHour;
}

export function newPart(_id: string, hour: string, entries: LogSummary[]): SearchPart {
  entries.sort(byTimeThenSequence);
  return { _id, hour, count: entries.length, entries: summaryColumns(entries.map(({ log_id, ...rest }) => ({ _id: log_id, ...rest }))) };
}

export function byTimeThenSequence(a: LogSummary, b: LogSummary): number {
  return a.time.getTime() - b.time.getTime() || a.sequence - b.sequence;
}

/** Parts are named by what they hold, so one already there (an earlier run) is the same part. */
async function insertParts(db: Db, parts: SearchPart[]): Promise<void> {
  if (parts.length === 0) return;
  try {
    await searchParts(db).insertMany(parts, { ordered: false });
  } catch (error) {
    if (!isOnlyDuplicateKeyErrors(error)) throw error;
  }
}

/**
 * Lists `added` (a part id per hour) in the day's document, merging an hour's
 * parts once it has too many, and records `checkpoint` as counted. `once`
 * (derivation): nothing is done when the day counts that checkpoint already;
 * a rebuild adds its parts whatever the day counts.
 */
async function addPartsToDay(db: Db, day: string, added: Record<string, string>, checkpoint: number, { once }: { once: boolean }): Promise<void> {
  for (;;) {
    const stored = await searchDays(db).findOne({ _id: day });
    if (once && stored && stored.through >= checkpoint) return;
    const parts = readDayParts(stored);
    let mergedAway: string[] = [];
    for (const [hour, id] of Object.entries(added)) {
      const key = hourKey(hour);
      const listed = [...(parts[key] ?? []).filter((listedId) => listedId !== id), id];
      const merged = listed.length > MERGE_AFTER_PARTS ? await mergeParts(db, hour, listed, id) : { ids: listed, away: [] };
      parts[key] = merged.ids;
      mergedAway = mergedAway.concat(merged.away);
    }
    const next = { through: Math.max(checkpoint, stored?.through ?? 0), parts: JSON.stringify(parts) };
    if (await replaceDay(db, day, stored?.through ?? null, next)) {
      await forEachConcurrently(mergedAway, DAYS_IN_FLIGHT, async (id) => void (await searchParts(db).deleteOne({ _id: id })));
      return;
    }
  }
}

/** Replaces the day's list if it is still the one read (null: none yet); false when another writer got there first. */
async function replaceDay(db: Db, day: string, through: number | null, next: { through: number; parts: string }): Promise<boolean> {
  if (through === null) {
    try {
      await searchDays(db).insertOne({ _id: day, ...next });
      return true;
    } catch (error) {
      if (isOnlyDuplicateKeyErrors(error)) return false;
      throw error;
    }
  }
  // Checked just before the write on the embedded server, not atomically: derivations run in checkpoint order.
  const { matchedCount } = await searchDays(db).replaceOne({ _id: day, through }, next);
  return matchedCount === 1;
}

/** The hour's small parts merged into as few parts as fit, named after the part whose arrival merged them; the large ones stay. */
async function mergeParts(db: Db, hour: string, ids: string[], trigger: string): Promise<{ ids: string[]; away: string[] }> {
  const stored = await findByIds(searchParts(db), ids);
  const small = ids.filter((id) => (stored.get(id)?.count ?? 0) < MERGED_PART_LOGS);
  const kept = ids.filter((id) => !small.includes(id));
  const entries = small.flatMap((id) => (stored.has(id) ? summariesOf(stored.get(id)!.entries) : [])).sort(byTimeThenSequence);
  const merged: SearchPart[] = [];
  for (let from = 0; from < entries.length; from += MERGED_PART_LOGS) {
    merged.push(newPart(mergedPartId(trigger, merged.length), hour, entries.slice(from, from + MERGED_PART_LOGS)));
  }
  await insertParts(db, merged);
  return { ids: [...kept, ...merged.map((part) => part._id)], away: small };
}

/** Widens the layout's bounds to the days given. */
async function recordDays(db: Db, days: string[]): Promise<void> {
  if (days.length === 0) return;
  const sorted = [...days].sort();
  await searchState(db).updateOne({ _id: STATE_ID }, { $min: { first_day: sorted[0]! }, $max: { last_day: sorted.at(-1)! } });
}

/** Logs below `sequence` are purged: readers skip their entries. */
export async function markPurged(db: Db, sequence: number): Promise<void> {
  await searchState(db).updateOne({ _id: STATE_ID }, { $max: { purged_below: sequence } });
}
