// Writing the search layout at checkpoint N, in checkpoint order like the
// rollups, and safe to run again for the same N: as the layout's one writer
// (layout-writer.ts), each hour's logs become a part named after N, listed in
// its day's document unless that day counts N already. An hour with many
// parts (live traffic adds one per checkpoint) has its small parts merged
// into parts of up to MERGED_PART_LOGS logs, and the parts merged away are
// deleted once no list names them (day-write.ts collects what a stopped
// writer leaves behind).
import type { Db } from "mongodb";
import { findByIds } from "@/lib/platform/db/find-by-ids";
import type { HeldLease } from "@/lib/platform/db/lease";
import { summariesOf, summaryColumns, type LogSummary } from "@/lib/records/logs/summaries";
import { forEachConcurrently } from "@/lib/foundation/util/concurrently";
import { rewriteDay, type DayPlan } from "./day-write";
import {
  checkpointPartId,
  dayOfHour,
  hourKey,
  hourOf,
  mergedPartId,
  searchParts,
  searchState,
  STATE_ID,
  type SearchPart,
  type Span,
} from "./layout";
import { asLayoutWriter } from "./layout-writer";

/** An hour is merged once it has more parts than this. */
const MERGE_AFTER_PARTS = 8;
const MERGED_PART_LOGS = 5_000;
const DAYS_IN_FLIGHT = 4;

type Through = { number: number };

/**
 * Adds checkpoint N's logs to the layout, leaving out those retention purged;
 * `searchable` false (summaries from before the layout) leaves a gap that
 * reads avoid; a rebuild that holds N's logs already makes it a no-op.
 */
export async function writeSearchLayout(
  db: Db,
  checkpoint: Through,
  logs: LogSummary[],
  searchable: boolean,
): Promise<void> {
  await asLayoutWriter(db, async (lease) => {
    const state = await searchState(db).findOne({ _id: STATE_ID });
    if ((state?.rebuilt_through ?? 0) >= checkpoint.number) return;
    lease.assertHeld();
    if (!searchable)
      return void (await searchState(db).updateOne({ _id: STATE_ID }, { $min: { gap_at: checkpoint.number } }));
    // Before the parts: storing them widens the bounds the state document records.
    if (checkpoint.number === 1)
      await searchState(db).updateOne({ _id: STATE_ID }, { $setOnInsert: { since: 1 } }, { upsert: true });
    const kept = logs.filter((log) => log.sequence >= (state?.purged_below ?? 0));
    const parts = [...groupByHour(kept)].map(([hour, entries]) =>
      newPart(checkpointPartId(hour, checkpoint.number), hour, entries),
    );
    await storeParts(db, lease, parts, checkpoint.number, { once: true });
  });
}

/** Lists the parts (at most one per hour) in their days (see addToDay) and widens the layout's bounds to those days; the caller holds the writer's lease. */
export async function storeParts(
  db: Db,
  lease: HeldLease,
  parts: SearchPart[],
  checkpoint: number,
  { once }: { once: boolean },
): Promise<void> {
  const byDay = new Map<string, SearchPart[]>();
  for (const part of parts) byDay.set(dayOfHour(part.hour), [...(byDay.get(dayOfHour(part.hour)) ?? []), part]);
  await forEachConcurrently(byDay, DAYS_IN_FLIGHT, ([day, added]) =>
    rewriteDay(db, lease, day, addToDay(db, added, checkpoint, { once })),
  );
  if (byDay.size === 0) return;
  const days = [...byDay.keys()].sort();
  lease.assertHeld();
  await searchState(db).updateOne(
    { _id: STATE_ID },
    { $min: { first_day: days[0]! }, $max: { last_day: days.at(-1)! } },
  );
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
  return {
    _id,
    hour,
    count: entries.length,
    span: spanOf(entries),
    entries: summaryColumns(entries.map(({ log_id, ...rest }) => ({ _id: log_id, ...rest }))),
  };
}

export function spanOf(entries: Pick<LogSummary, "sequence">[]): Span {
  let low = Infinity;
  let high = -Infinity;
  for (const { sequence } of entries) {
    low = Math.min(low, sequence);
    high = Math.max(high, sequence);
  }
  return [low, high];
}

export function byTimeThenSequence(a: LogSummary, b: LogSummary): number {
  return a.time.getTime() - b.time.getTime() || a.sequence - b.sequence;
}

/**
 * Lists `added` (a part per hour) in the day, merging an hour's parts once it
 * has too many, and records `checkpoint` as counted. `once` (derivation):
 * nothing is done when the day counts that checkpoint already; a rebuild adds
 * its parts whatever the day counts.
 */
function addToDay(db: Db, added: SearchPart[], checkpoint: number, { once }: { once: boolean }): DayPlan {
  return async (stored) => {
    if (once && stored && stored.through >= checkpoint) return null;
    const parts = { ...stored?.parts };
    const spans = { ...stored?.spans };
    const inserted: SearchPart[] = [];
    const unlisted: string[] = [];
    for (const part of added) {
      const key = hourKey(part.hour);
      const listed = [...(parts[key] ?? []).filter((id) => id !== part._id), part._id];
      const merged =
        listed.length > MERGE_AFTER_PARTS
          ? await mergeParts(db, listed, part)
          : { ids: listed, made: [part], away: [] };
      parts[key] = merged.ids;
      inserted.push(...merged.made);
      unlisted.push(...merged.away);
      for (const made of merged.made) spans[made._id] = made.span!;
    }
    return { layout: { through: Math.max(checkpoint, stored?.through ?? 0), parts, spans }, inserted, unlisted };
  };
}

/**
 * The hour's small parts merged into as few parts as fit, named after the
 * part whose arrival merged them (`added`, not stored yet); the large ones
 * stay. `made`: the parts to insert; `away`: the stored parts merged away.
 */
async function mergeParts(
  db: Db,
  ids: string[],
  added: SearchPart,
): Promise<{ ids: string[]; made: SearchPart[]; away: string[] }> {
  const stored = await findByIds(
    searchParts(db),
    ids.filter((id) => id !== added._id),
  );
  stored.set(added._id, added);
  const small = ids.filter((id) => (stored.get(id)?.count ?? 0) < MERGED_PART_LOGS);
  const kept = ids.filter((id) => !small.includes(id));
  const entries = small
    .flatMap((id) => (stored.has(id) ? summariesOf(stored.get(id)!.entries) : []))
    .sort(byTimeThenSequence);
  const made: SearchPart[] = kept.includes(added._id) ? [added] : [];
  for (let from = 0, index = 0; from < entries.length; from += MERGED_PART_LOGS, index++) {
    made.push(newPart(mergedPartId(added._id, index), added.hour, entries.slice(from, from + MERGED_PART_LOGS)));
  }
  return {
    ids: [...kept, ...made.filter((part) => part !== added).map((part) => part._id)],
    made,
    away: small.filter((id) => id !== added._id),
  };
}

/** Logs below `sequence` are purged: readers skip their entries, and writers leave them out from now on. */
export async function markPurged(db: Db, sequence: number): Promise<void> {
  await asLayoutWriter(db, async (lease) => {
    lease.assertHeld();
    await searchState(db).updateOne({ _id: STATE_ID }, { $max: { purged_below: sequence } });
  });
}
