// The page cursor of keyset pagination on (time, sequence) (log-page.ts). It is
// opaque to clients (base64url of {"t":ms,"s":sequence,"o":sort}) but not secret: a
// forged one only moves where a page of the same query starts.
import type { Filter } from "mongodb";
import { z } from "zod";
import { describeIssues, validationError } from "@/lib/platform/http/validation";
import type { StoredLog } from "./record";

export const LOG_SORTS = ["desc", "asc"] as const;
export type LogSort = (typeof LOG_SORTS)[number];

export type LogCursor = { time: Date; sequence: number; sort: LogSort };
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
