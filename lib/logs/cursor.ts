// Keyset pagination on (time, sequence), which is unique because sequence is:
// a page starts strictly after the last row of the one before, so rows stored
// meanwhile never shift a page (as skip would). The cursor is opaque to
// clients (base64url of {"t":ms,"s":sequence,"o":sort}) but not secret: a
// forged one only moves where a page of the same query starts.
import type { Filter } from "mongodb";
import { z } from "zod";
import { describeIssues, validationError } from "@/lib/http/validation";
import type { LogFilter } from "./filters";
import { logFilterQuery } from "./query";
import type { StoredLog } from "./record";

export const LOG_SORTS = ["desc", "asc"] as const;
export type LogSort = (typeof LOG_SORTS)[number];

export type LogCursor = { time: Date; sequence: number; sort: LogSort };
/** nextCursor continues in the page's order (older rows when newest first); prevCursor goes back (`before`). */
export type LogPage<T> = { items: T[]; nextCursor: string | null; prevCursor: string | null };
export type LogPageQuery = {
  query: Filter<StoredLog>;
  sort: { time: 1 | -1; sequence: 1 | -1 };
  /** Rows on a page; fetch one more to learn whether a next page exists. */
  limit: number;
};

const MAX_CURSOR_LENGTH = 128;
const INVALID = "is not a valid page cursor; start again from the first page";

const CursorJson = z.strictObject({
  t: z.int().min(-8.64e15).max(8.64e15),
  s: z.int().min(0),
  o: z.enum(LOG_SORTS),
});

/** A `cursor` parameter: base64url text in, LogCursor out. */
export const CursorParam = z.string().transform((text, ctx): LogCursor => {
  const cursor = text.length <= MAX_CURSOR_LENGTH && /^[A-Za-z0-9_-]+$/.test(text) ? readCursor(text) : undefined;
  // Only the encoding this module writes is accepted, so equal cursors are equal strings.
  if (!cursor || encodeCursor(cursor) !== text) {
    ctx.addIssue({ code: "custom", message: INVALID });
    return z.NEVER;
  }
  return cursor;
});

export function encodeCursor(cursor: LogCursor): string {
  const json: z.infer<typeof CursorJson> = { t: cursor.time.getTime(), s: cursor.sequence, o: cursor.sort };
  return Buffer.from(JSON.stringify(json)).toString("base64url");
}

/** Throws a validation error naming `cursor` for anything encodeCursor did not write. */
export function decodeCursor(text: string): LogCursor {
  const result = z.object({ cursor: CursorParam }).safeParse({ cursor: text });
  if (!result.success) throw validationError(describeIssues(result.error.issues), "no logs were read");
  return result.data.cursor;
}

function readCursor(text: string): LogCursor | undefined {
  try {
    const json = CursorJson.parse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
    return { time: new Date(json.t), sequence: json.s, sort: json.o };
  } catch {
    return undefined;
  }
}

/** The rows strictly after the cursor's row in the cursor's sort order. */
export function cursorQuery(cursor: LogCursor): Filter<StoredLog> {
  const after = cursor.sort === "desc" ? "$lt" : "$gt";
  return { $or: [{ time: { [after]: cursor.time } }, { time: cursor.time, sequence: { [after]: cursor.sequence } }] };
}

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
export function pageReadOrder(filter: Pick<LogFilter, "sort" | "cursor" | "before">): { sort: LogSort; cursor?: LogCursor } {
  if (filter.before) return { sort: flip(filter.before.sort), cursor: { ...filter.before, sort: flip(filter.before.sort) } };
  return { sort: filter.sort, ...(filter.cursor && { cursor: filter.cursor }) };
}

/**
 * Up to `limit + 1` rows as logPageQuery read them, as one page in the
 * filter's order, with the cursors of the pages after it (older, when newest
 * first) and before it (newer), where they may hold rows.
 */
export function toPage<T extends { time: Date; sequence: number }>(rows: T[], filter: Pick<LogFilter, "limit" | "sort" | "cursor" | "before">): LogPage<T> {
  const { limit, sort } = filter;
  const more = rows.length > limit;
  const items = rows.slice(0, limit);
  if (filter.before) items.reverse();
  const first = items[0];
  const last = items.at(-1);
  const at = (row: T | undefined, exists: boolean) => (row && exists ? encodeCursor({ time: row.time, sequence: row.sequence, sort }) : null);
  return filter.before
    ? { items, nextCursor: at(last, true), prevCursor: at(first, more) }
    : { items, nextCursor: at(last, more), prevCursor: at(first, filter.cursor !== undefined) };
}

function flip(sort: LogSort): LogSort {
  return sort === "desc" ? "asc" : "desc";
}
