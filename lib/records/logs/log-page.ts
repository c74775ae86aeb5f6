// Keyset pagination on (time, sequence), which is unique because sequence is:
// a page starts strictly after the last row of the one before, so rows stored
// meanwhile never shift a page (as skip would).
import type { Filter } from "mongodb";
import { logFilterQuery } from "./criteria-query";
import { cursorQuery, encodeCursor, type LogCursor, type LogSort } from "./cursor";
import type { LogFilter } from "./filters";
import type { StoredLog } from "./record";

/** nextCursor continues in the page's order (older rows when newest first); prevCursor goes back (`before`). */
export type LogPage<T> = { items: T[]; nextCursor: string | null; prevCursor: string | null };
export type LogPageQuery = {
  query: Filter<StoredLog>;
  sort: { time: 1 | -1; sequence: 1 | -1 };
  /** Rows on a page; fetch one more to learn whether a next page exists. */
  limit: number;
};

/**
 * What to run for one page: `find(query).sort(sort).limit(limit + 1)`, then
 * `toPage`. A `before` page (the newer rows when newest first) reads the other
 * way from its cursor; toPage turns it back.
 */
export function logPageQuery(filter: LogFilter): LogPageQuery {
  const filterQuery = logFilterQuery(filter);
  const { cursor, sort: readOrder } = pageReadOrder(filter);
  const direction = readOrder === "desc" ? -1 : 1;
  const query = !cursor
    ? filterQuery
    : Object.keys(filterQuery).length === 0
      ? cursorQuery(cursor)
      : { $and: [filterQuery, cursorQuery(cursor)] };
  return { query, sort: { time: direction, sequence: direction }, limit: filter.limit };
}

/** Which way a page is read and from which row: a `before` page reads the other way from its cursor. */
export function pageReadOrder(filter: Pick<LogFilter, "sort" | "cursor" | "before">): {
  sort: LogSort;
  cursor?: LogCursor;
} {
  if (filter.before)
    return { sort: flip(filter.before.sort), cursor: { ...filter.before, sort: flip(filter.before.sort) } };
  return { sort: filter.sort, ...(filter.cursor && { cursor: filter.cursor }) };
}

/**
 * Up to `limit + 1` rows as logPageQuery read them, as one page in the
 * filter's order, with the cursors of the pages after it (older, when newest
 * first) and before it (newer), where they may hold rows.
 */
export function toPage<T extends { time: Date; sequence: number }>(
  rows: T[],
  filter: Pick<LogFilter, "limit" | "sort" | "cursor" | "before">,
): LogPage<T> {
  const { limit, sort } = filter;
  const more = rows.length > limit;
  const items = rows.slice(0, limit);
  if (filter.before) items.reverse();
  const first = items[0];
  const last = items.at(-1);
  const at = (row: T | undefined, exists: boolean) =>
    row && exists ? encodeCursor({ time: row.time, sequence: row.sequence, sort }) : null;
  return filter.before
    ? { items, nextCursor: at(last, true), prevCursor: at(first, more) }
    : { items, nextCursor: at(last, more), prevCursor: at(first, filter.cursor !== undefined) };
}

function flip(sort: LogSort): LogSort {
  return sort === "desc" ? "asc" : "desc";
}
