// What tests of the search layout check, reading its collections whole (as no
// app code may): the layout is sound (every listed part stored, every stored
// part listed, spans true, no empty day, bounds on the days held, no purged
// entry), and the explorer's pages through it equal a brute-force filter and
// sort of the logs collection. Also a way to interrupt a writer at a chosen
// write, as a crash there would.
import assert from "node:assert/strict";
import { mock } from "node:test";
import { Collection, Db } from "mongodb";
import { countLogs } from "@/lib/features/explorer/count-logs";
import { decodeCursor } from "@/lib/records/logs/cursor";
import type { LogFilter } from "@/lib/records/logs/filters";
import { findLogPage } from "@/lib/features/explorer/log-pages";
import { matchesLogFilter } from "@/lib/records/logs/criteria-query";
import type { StoredLog } from "@/lib/records/logs/record";
import { summariesOf, type LogSummary } from "@/lib/records/logs/summaries";
import {
  readDayParts,
  readPartSpans,
  searchDays,
  searchParts,
  searchState,
  STATE_ID,
} from "@/lib/derived/search/layout";

/** Every page forwards to the end, then back from the last page to the first. */
export async function walkPages(db: Db, filter: LogFilter): Promise<{ forwards: string[]; backwards: string[] }> {
  const forwards: string[] = [];
  let page = await findLogPage(db, filter);
  for (;;) {
    forwards.push(...page.items.map((log) => log._id));
    if (!page.nextCursor) break;
    page = await findLogPage(db, { ...filter, cursor: decodeCursor(page.nextCursor) });
  }
  const backwards: string[] = [...page.items.map((log) => log._id)];
  while (page.prevCursor) {
    page = await findLogPage(db, { ...filter, cursor: undefined, before: decodeCursor(page.prevCursor) });
    backwards.unshift(...page.items.map((log) => log._id));
  }
  return { forwards, backwards };
}

/** The ids of the logs the filter matches, in its order, from every stored log. */
export async function bruteForceIds(db: Db, filter: LogFilter): Promise<string[]> {
  const all = await db.collection<StoredLog>("logs").find().toArray();
  const matching = all
    .filter((log) => matchesLogFilter(log, filter))
    .sort((a, b) => b.time.getTime() - a.time.getTime() || b.sequence - a.sequence);
  if (filter.sort === "asc") matching.reverse();
  return matching.map((log) => log._id);
}

/** Pages both ways and the count of each filter equal the brute-force answer. */
export async function assertPagesMatchLogs(db: Db, filters: LogFilter[]): Promise<void> {
  for (const filter of filters) {
    const expected = await bruteForceIds(db, filter);
    const { forwards, backwards } = await walkPages(db, filter);
    const label = JSON.stringify(filter);
    assert.deepEqual(forwards, expected, `forwards: ${label}`);
    assert.deepEqual(backwards, expected, `backwards: ${label}`);
    assert.equal(await countLogs(db, filter), expected.length, `count: ${label}`);
  }
}

/** Checks the layout's documents against each other; returns its entries. */
export async function assertLayoutSound(db: Db, { purgedBelow = 0 } = {}): Promise<LogSummary[]> {
  const parts = new Map((await searchParts(db).find().toArray()).map((part) => [part._id, part]));
  const days = await searchDays(db).find().toArray();
  const listed = new Set<string>();
  const entries: LogSummary[] = [];
  for (const day of days) {
    const spans = readPartSpans(day);
    const ids = Object.values(readDayParts(day)).flat();
    assert.ok(ids.length > 0, `day ${day._id} lists no part`);
    for (const id of ids) {
      const part = parts.get(id);
      assert.ok(part, `day ${day._id} lists ${id}, which is not stored`);
      listed.add(id);
      const held = summariesOf(part.entries);
      entries.push(...held);
      const sequences = held.map((entry) => entry.sequence);
      if (spans[id]) assert.deepEqual(spans[id], [Math.min(...sequences), Math.max(...sequences)], `span of ${id}`);
      assert.ok(
        sequences.every((sequence) => sequence >= purgedBelow),
        `${id} holds an entry below ${purgedBelow}`,
      );
    }
  }
  assert.deepEqual(
    [...parts.keys()].filter((id) => !listed.has(id)),
    [],
    "parts no day lists",
  );
  const sequences = entries.map((entry) => entry.sequence);
  assert.equal(new Set(sequences).size, sequences.length, "a log held twice");
  const state = await searchState(db).findOne({ _id: STATE_ID });
  const dayIds = days.map((day) => day._id).sort();
  assert.deepEqual(
    [state?.first_day, state?.last_day],
    [dayIds[0], dayIds.at(-1)],
    "the layout's bounds are its first and last day",
  );
  return entries;
}

type WatchedMethod = "findOne" | "replaceOne" | "deleteOne" | "insertMany";
export type Interruption = { readonly fired: boolean; restore(): void };

/** Makes the first call of `method` that `when` picks fail, as if the process stopped there. */
export function interruptAt(
  method: WatchedMethod,
  when: (collection: string, args: unknown[]) => boolean,
): Interruption {
  let fired = false;
  const spy = watchCalls(method, (collection, args) => {
    if (fired || !when(collection, args)) return;
    fired = true;
    throw new Error(`interrupted at ${collection}.${method}`);
  });
  return {
    get fired() {
      return fired;
    },
    restore: spy.restore,
  };
}

/** The `_id`s each call of `method` on `collection` names in its filter, until restored; for findOne also the lone lookups findByIds sends as find commands. */
export function recordIds(method: WatchedMethod, collection: string): { ids: unknown[]; restore(): void } {
  const ids: unknown[] = [];
  const spy = watchCalls(
    method,
    (name, args) => void (name === collection && ids.push((args[0] as { _id?: unknown })?._id)),
  );
  if (method !== "findOne") return { ids, restore: spy.restore };
  const original = Db.prototype.command as (...args: unknown[]) => unknown;
  const commands = mock.method(Db.prototype, "command", function (this: Db, ...args: unknown[]) {
    const command = args[0] as { find?: string; filter?: { _id?: unknown }; limit?: number };
    if (command.find === collection && command.limit === 1) ids.push(command.filter?._id);
    return original.apply(this, args);
  });
  return {
    ids,
    restore: () => {
      spy.restore();
      commands.mock.restore();
    },
  };
}

/** Calls `see` before each call of `method` on any collection; a throw from `see` fails that call. */
function watchCalls(method: WatchedMethod, see: (collection: string, args: unknown[]) => void): { restore(): void } {
  const original = Collection.prototype[method] as (...args: unknown[]) => unknown;
  const spy = mock.method(Collection.prototype, method, function (this: Collection, ...args: unknown[]) {
    try {
      see(this.collectionName, args);
    } catch (error) {
      return Promise.reject(error);
    }
    return original.apply(this, args);
  });
  return { restore: () => spy.mock.restore() };
}
