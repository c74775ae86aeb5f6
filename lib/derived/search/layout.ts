// The search layout: the logs' searchable fields (lib/records/logs/summaries.ts),
// derived at each checkpoint, so that the explorer reads what its window holds
// instead of the whole logs collection. Insert-only parts hold one UTC hour's
// logs each, sorted by (time, sequence); one document per UTC day lists its
// hours' parts; everything is found by string _id (an index seek also on the
// embedded server). The logs collection stays the record: the layout only
// decides which logs match.
import type { Db } from "mongodb";
import { COLLECTIONS } from "@/lib/platform/db/collections";
import type { SummaryColumns } from "@/lib/records/logs/summaries";

/** One hour's logs from one checkpoint, or several merged; `span`: their lowest and highest sequence (absent in parts stored before it). */
export type SearchPart = { _id: string; hour: string; count: number; span?: Span; entries: SummaryColumns };
export type Span = [low: number, high: number];

/**
 * A UTC day's hours ("00"–"23") and their part ids, through checkpoint
 * `through`; `spans` (JSON, part id → Span) lets retention tell the parts that
 * hold purged logs without reading them; `drop` names the parts a rewrite
 * that stopped midway may have left unlisted, and is empty otherwise
 * (day-write.ts).
 */
export type SearchDay = { _id: string; through: number; parts: string; spans?: string; drop?: string[] };
export type DayParts = Record<string, string[]>;
export type PartSpans = Record<string, Span>;

/**
 * Whether the layout holds every derived checkpoint's logs: `since` is 1 when
 * it was derived from the first checkpoint on (else reads use the logs
 * collection); `first`/`last` bound the days that hold logs; retention
 * removed the entries of logs with a sequence below `purged_below` (readers
 * skip any they meet while it does); `gap_at` is the first checkpoint whose
 * logs it lacks; while `rebuilding`, a rebuild is putting in the logs of
 * every checkpoint through `rebuilt_through`.
 */
export type SearchState = {
  _id: "layout";
  since: number;
  first_day?: string;
  last_day?: string;
  gap_at?: number;
  purged_below?: number;
  rebuilding?: boolean;
  rebuilt_through?: number;
};

export const STATE_ID = "layout";

export function searchParts(db: Db) {
  return db.collection<SearchPart>(COLLECTIONS.searchParts);
}
export function searchDays(db: Db) {
  return db.collection<SearchDay>(COLLECTIONS.searchDays);
}
export function searchState(db: Db) {
  return db.collection<SearchState>(COLLECTIONS.searchState);
}

/** "2025-01-06T13": the UTC hour a time falls in. */
export function hourOf(time: Date): string {
  return time.toISOString().slice(0, 13);
}
export function dayOfHour(hour: string): string {
  return hour.slice(0, 10);
}
/** "13": an hour's key in its day's list. */
export function hourKey(hour: string): string {
  return hour.slice(11, 13);
}

const NUMBER_DIGITS = 10;
const padded = (n: number) => String(n).padStart(NUMBER_DIGITS, "0");

/** An hour's logs from checkpoint N. */
export function checkpointPartId(hour: string, checkpoint: number): string {
  return `${hour}/${padded(checkpoint)}`;
}
/** An hour's logs read back from the logs collection by a rebuild through checkpoint N. */
export function rebuiltPartId(hour: string, checkpoint: number, index: number): string {
  return `${hour}/r${padded(checkpoint)}-${index}`;
}
/** The index-th part of the parts merged when `trigger` arrived. */
export function mergedPartId(trigger: string, index: number): string {
  return `${trigger}~m${index}`;
}
/**
 * A part's entries from sequence `below` on. Named after the untrimmed part,
 * so trimming again names what the original holds from the new point on: the
 * same id always holds the same entries.
 */
export function trimmedPartId(id: string, below: number): string {
  return `${id.replace(/~p\d+$/, "")}~p${padded(below)}`;
}

export function readDayParts(day: Pick<SearchDay, "parts"> | null): DayParts {
  return day ? (JSON.parse(day.parts) as DayParts) : {};
}
/** Spans of the listed parts; parts listed before spans were recorded have none. */
export function readPartSpans(day: Pick<SearchDay, "spans"> | null): PartSpans {
  return day?.spans ? (JSON.parse(day.spans) as PartSpans) : {};
}
