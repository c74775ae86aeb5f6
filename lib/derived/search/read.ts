// Reading the search layout: the logs a filter matches, in (time, sequence)
// order either way, strictly past a cursor, one UTC hour at a time, so a page
// reads the hours it needs and stops. Logs not derived yet come from the
// settlements (the fresh tail), read before the layout: a derivation that
// finishes meanwhile only moves logs from the tail into the layout, and a log
// seen in both is yielded once. Days whose rollup counts nothing the filter
// asks for are skipped (day-pruning.ts).
import type { Db } from "mongodb";
import { findByIds } from "@/lib/platform/db/find-by-ids";
import { readFreshTailAt } from "@/lib/derived/derivation/fresh-tail";
import type { LogCursor } from "@/lib/records/logs/cursor";
import type { LogCriteria } from "@/lib/records/logs/filters";
import { logMatcher } from "@/lib/records/logs/criteria-query";
import { summariesOf, type LogSummary } from "@/lib/records/logs/summaries";
import {
  dayOfHour,
  hourKey,
  readDayParts,
  searchDays,
  searchParts,
  searchState,
  STATE_ID,
  type DayParts,
  type SearchPart,
  type SearchState,
} from "./layout";
import { dayPruner } from "./day-pruning";
import { byTimeThenSequence, groupByHour } from "./write";

const DAY_MS = 86_400_000;

export type Direction = "asc" | "desc";
export type EntryOrder = { direction: Direction; after?: Pick<LogCursor, "time" | "sequence"> };

/** The layout's state when it holds every derived checkpoint's logs; null when reads must use the logs collection. */
export async function readWholeLayout(db: Db): Promise<SearchState | null> {
  const state = await searchState(db).findOne({ _id: STATE_ID });
  return state && state.since === 1 && state.gap_at === undefined && !state.rebuilding ? state : null;
}

/** What every read of one search sees: the layout's state, then the logs not derived yet. */
export type SearchSnapshot = { layout: SearchState; tail: LogSummary[]; derivedThrough: number };

/** Null without a whole layout. The tail is read after the state: a derivation meanwhile only moves logs from the tail into the layout. */
export async function searchSnapshot(db: Db): Promise<SearchSnapshot | null> {
  const layout = await readWholeLayout(db);
  if (!layout) return null;
  const { derivedThrough, summaries } = await readFreshTailAt(db);
  return { layout, tail: summaries, derivedThrough };
}

/**
 * The logs the criteria match, in `order`, from the layout and the logs not
 * derived yet; null without a whole layout (the caller reads the logs
 * collection instead). Reads that must agree with each other share a snapshot.
 */
export async function searchLogs(
  db: Db,
  criteria: LogCriteria,
  order: EntryOrder,
  snapshot?: SearchSnapshot,
): Promise<AsyncGenerator<LogSummary> | null> {
  const read = snapshot ?? (await searchSnapshot(db));
  return read && matchingEntries(db, criteria, order, read.layout, read.tail);
}

/** `tail`: the summaries of the logs settled but not derived yet (read before the layout's documents). */
async function* matchingEntries(
  db: Db,
  criteria: LogCriteria,
  order: EntryOrder,
  state: SearchState,
  tail: LogSummary[],
): AsyncGenerator<LogSummary> {
  const matchesFilter = logMatcher(criteria);
  const purgedBelow = state.purged_below ?? 0;
  const matches = (log: LogSummary) => log.sequence >= purgedBelow && matchesFilter(log);
  const isPast = pastCursor(order);
  const tailByHour = groupByHour(tail.filter((log) => matches(log) && isPast(log)));
  const days = daysToRead(criteria, order, state, tailByHour);
  const mayMatch = dayPruner(db, criteria);
  const readDay = async (day: string): Promise<ReadDay> => {
    const skipped = mayMatch !== null && !(await mayMatch(day));
    const list = skipped ? {} : readDayParts(await searchDays(db).findOne({ _id: day }));
    const tailHours = [...tailByHour.keys()].filter((hour) => dayOfHour(hour) === day);
    const hours = [...new Set([...Object.keys(list).map((key) => `${day}T${key}`), ...tailHours])]
      .filter((hour) => overlaps(hour, criteria, order))
      .sort();
    if (order.direction === "desc") hours.reverse();
    const parts = await findByIds(
      searchParts(db),
      hours.flatMap((hour) => list[hourKey(hour)] ?? []),
    );
    return { list, hours, parts };
  };
  // One day ahead is read while this one is searched: a page that spans days waits for none.
  let next = days.length > 0 ? readDay(days[0]!) : undefined;
  try {
    for (let index = 0; index < days.length; index++) {
      const { list, hours, parts } = await next!;
      next = index + 1 < days.length ? readDay(days[index + 1]!) : undefined;
      for (const hour of hours) {
        const wanted = new Map<number, LogSummary>();
        for (const log of await hourEntries(db, hour, list[hourKey(hour)] ?? [], parts))
          if (matches(log) && isPast(log)) wanted.set(log.sequence, log);
        for (const log of tailByHour.get(hour) ?? []) if (!wanted.has(log.sequence)) wanted.set(log.sequence, log);
        const sorted = [...wanted.values()].sort(byTimeThenSequence);
        yield* order.direction === "desc" ? sorted.reverse() : sorted;
      }
    }
  } finally {
    // Closed early (a full page): the read-ahead finishes on its own, unread.
    next?.catch(() => undefined);
  }
}

type ReadDay = { list: DayParts; hours: string[]; parts: Map<string, SearchPart> };

/** An hour's logs from its parts; a part merged away since the list was read sends the reader back to the day's new list. */
async function hourEntries(db: Db, hour: string, ids: string[], read: Map<string, SearchPart>): Promise<LogSummary[]> {
  let stored = new Map(ids.flatMap((id) => (read.has(id) ? [[id, read.get(id)!] as const] : [])));
  for (let attempt = 0; stored.size < ids.length && attempt < 2; attempt++) {
    ids = readDayParts(await searchDays(db).findOne({ _id: dayOfHour(hour) }))[hourKey(hour)] ?? [];
    stored = await findByIds(searchParts(db), ids);
  }
  return [...stored.values()].flatMap((part) => summariesOf(part.entries));
}

function pastCursor({ direction, after }: EntryOrder): (log: LogSummary) => boolean {
  if (!after) return () => true;
  const time = after.time.getTime();
  const sign = direction === "desc" ? -1 : 1;
  return (log) => {
    const order = Math.sign(log.time.getTime() - time || log.sequence - after.sequence);
    return order === sign;
  };
}

/** The days the window and the cursor leave, within those that hold logs, in reading order. */
function daysToRead(
  criteria: LogCriteria,
  order: EntryOrder,
  state: SearchState,
  tailByHour: Map<string, LogSummary[]>,
): string[] {
  const held = [state.first_day, state.last_day, ...[...tailByHour.keys()].map(dayOfHour)]
    .filter((day): day is string => day !== undefined)
    .sort();
  if (held.length === 0) return [];
  let first = held[0]!;
  let last = held.at(-1)!;
  const clamp = (time: Date | undefined, edge: "first" | "last") => {
    if (!time) return;
    const day = time.toISOString().slice(0, 10);
    if (edge === "first" && day > first) first = day;
    if (edge === "last" && day < last) last = day;
  };
  clamp(criteria.from, "first");
  clamp(criteria.to, "last");
  clamp(order.after?.time, order.direction === "desc" ? "last" : "first");
  const days: string[] = [];
  for (let time = Date.parse(`${first}T00:00:00Z`); time <= Date.parse(`${last}T00:00:00Z`); time += DAY_MS)
    days.push(new Date(time).toISOString().slice(0, 10));
  return order.direction === "desc" ? days.reverse() : days;
}

function overlaps(hour: string, criteria: LogCriteria, { direction, after }: EntryOrder): boolean {
  const start = Date.parse(`${hour}:00:00Z`);
  const end = start + 3_600_000 - 1;
  if (criteria.from && end < criteria.from.getTime()) return false;
  if (criteria.to && start > criteria.to.getTime()) return false;
  if (after && direction === "desc" && start > after.time.getTime()) return false;
  if (after && direction === "asc" && end < after.time.getTime()) return false;
  return true;
}
