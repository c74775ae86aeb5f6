// The alert list over the index's rows, in memory: which rows a filter
// matches, how many per status, their order, groups by subject, and pages
// after an opaque cursor. Pure, so the page, the API and bulk changes by
// filter select exactly the same alerts.
import { z } from "zod";
import { ipKey } from "@/lib/foundation/net/ip";
import { ApiError } from "@/lib/platform/http/errors";
import type { AlertRow } from "./alert-rows";
import { ALERT_STATUSES, type AlertStatus } from "./alert-record";
import {
  SEVERITY_RANK,
  type AlertFilter,
  type AlertGrouping,
  type AlertListParams,
  type AlertSort,
  type SubjectMatch,
} from "./list-params";

/** Whether the row matches every filter but status. */
function matchesBesidesStatus(filter: AlertFilter): (row: AlertRow) => boolean {
  const minRank = filter.min_severity ? SEVERITY_RANK[filter.min_severity] : 0;
  const types = filter.type && new Set(filter.type);
  const from = filter.from?.getTime();
  const to = filter.to?.getTime();
  const subject = filter.subject && subjectTest(filter.subject);
  return (row) =>
    SEVERITY_RANK[row.severity] >= minRank &&
    (!types || types.has(row.type)) &&
    (from === undefined || row.end >= from) &&
    (to === undefined || row.start <= to) &&
    (!subject || subject(row));
}

function subjectTest(subject: SubjectMatch): (row: AlertRow) => boolean {
  if ("user" in subject) return (row) => row.user === subject.user;
  const { low, high } = subject.ip;
  return (row) => {
    if (row.ip === undefined) return false;
    const key = ipKeyOrNull(row.ip);
    return key !== null && low <= key && key <= high;
  };
}

function ipKeyOrNull(ip: string): string | null {
  try {
    return ipKey(ip);
  } catch {
    return null;
  }
}

export type StatusCounts = Record<AlertStatus, number>;

/** The rows the filter selects, and how many match each status under the other filters (the tabs). */
export function selectRows(rows: readonly AlertRow[], filter: AlertFilter): { rows: AlertRow[]; counts: StatusCounts } {
  const matches = matchesBesidesStatus(filter);
  const counts = Object.fromEntries(ALERT_STATUSES.map((status) => [status, 0])) as StatusCounts;
  const selected: AlertRow[] = [];
  for (const row of rows) {
    if (!matches(row)) continue;
    if (row.status in counts) counts[row.status]++;
    if (filter.status === "all" || row.status === filter.status) selected.push(row);
  }
  return { rows: selected, counts };
}

/** What a row or a group sorts on. */
type SortFields = { severity: number; end: number; start: number; count: number; changed: number; created: number };

function sortFieldsOf(row: AlertRow): SortFields {
  return {
    severity: SEVERITY_RANK[row.severity],
    end: row.end,
    start: row.start,
    count: row.count,
    changed: row.changed_at ?? row.created,
    created: row.created,
  };
}

/** The sort key, most significant first; then the id (unique) settles ties. */
function keyOf(fields: SortFields, sort: AlertSort): number[] {
  switch (sort) {
    case "severity":
      return [fields.severity, fields.end, fields.created];
    case "last_event":
      return [fields.end, fields.severity];
    case "first_event":
      return [fields.start, fields.severity];
    case "count":
      return [fields.count, fields.end];
    case "last_change":
      return [fields.changed, fields.end];
  }
}

type Keyed<T> = { item: T; key: number[]; id: string };

function compareKeyed(order: "asc" | "desc") {
  const sign = order === "desc" ? -1 : 1;
  return (a: Pick<Keyed<unknown>, "key" | "id">, b: Pick<Keyed<unknown>, "key" | "id">): number => {
    for (let i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return sign * (a.key[i]! - b.key[i]!);
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}

const Cursor = z.object({
  s: z.string(),
  o: z.enum(["asc", "desc"]),
  g: z.string(),
  k: z.array(z.number()),
  i: z.string(),
});
type Cursor = z.infer<typeof Cursor>;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

function decodeCursor(text: string, query: Pick<AlertListParams, "sort" | "order" | "group">): Cursor {
  let parsed: Cursor;
  try {
    parsed = Cursor.parse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
  } catch {
    throw cursorError("is not a cursor this list gave; start from the first page");
  }
  if (parsed.s !== query.sort || parsed.o !== query.order || parsed.g !== (query.group ?? "")) {
    throw cursorError("belongs to another sort or grouping; start from the first page");
  }
  return parsed;
}

function cursorError(message: string): ApiError {
  return new ApiError("validation_failed", `cursor ${message}`, [{ field: "cursor", message }]);
}

/** One page of items in the query's order, strictly after its cursor, and the cursor of the next page (null on the last). */
function pageOf<T>(keyed: Keyed<T>[], query: AlertListParams): { items: T[]; next_cursor: string | null } {
  const compare = compareKeyed(query.order);
  keyed.sort(compare);
  const after = query.cursor ? decodeCursor(query.cursor, query) : null;
  const start = after ? keyed.findIndex((entry) => compare(entry, { key: after.k, id: after.i }) > 0) : 0;
  const page = start < 0 ? [] : keyed.slice(start, start + query.limit);
  const last = page.at(-1);
  const hasMore = start >= 0 && start + query.limit < keyed.length;
  return {
    items: page.map((entry) => entry.item),
    next_cursor:
      hasMore && last
        ? encodeCursor({ s: query.sort, o: query.order, g: query.group ?? "", k: last.key, i: last.id })
        : null,
  };
}

export function pageRows(
  rows: readonly AlertRow[],
  query: AlertListParams,
): { rows: AlertRow[]; next_cursor: string | null } {
  const { items, next_cursor } = pageOf(
    rows.map((row) => ({ item: row, key: keyOf(sortFieldsOf(row), query.sort), id: row.id })),
    query,
  );
  return { rows: items, next_cursor };
}

/** One subject's alerts: an IP's (or, grouping by user, a user's); alerts without that subject go under the other one, or their source. */
export type AlertGroup = {
  key: string;
  kind: "ip" | "user" | "source";
  subject: string;
  rows: AlertRow[];
  types: AlertRow["type"][];
  severity: AlertRow["severity"];
  start: number;
  end: number;
  count: number;
};

export function subjectOf(
  row: Pick<AlertRow, "ip" | "user" | "source">,
  grouping: AlertGrouping,
): { kind: AlertGroup["kind"]; subject: string } {
  const order: AlertGroup["kind"][] = grouping === "ip" ? ["ip", "user", "source"] : ["user", "ip", "source"];
  for (const kind of order) {
    const value = row[kind];
    if (value !== undefined) return { kind, subject: value };
  }
  return { kind: "source", subject: "" };
}

export function groupRows(rows: readonly AlertRow[], grouping: AlertGrouping): AlertGroup[] {
  const groups = new Map<string, AlertGroup>();
  for (const row of rows) {
    const { kind, subject } = subjectOf(row, grouping);
    const key = `${kind}:${subject}`;
    const group = groups.get(key);
    if (!group) {
      groups.set(key, {
        key,
        kind,
        subject,
        rows: [row],
        types: [row.type],
        severity: row.severity,
        start: row.start,
        end: row.end,
        count: row.count,
      });
      continue;
    }
    group.rows.push(row);
    if (!group.types.includes(row.type)) group.types.push(row.type);
    if (SEVERITY_RANK[row.severity] > SEVERITY_RANK[group.severity]) group.severity = row.severity;
    group.start = Math.min(group.start, row.start);
    group.end = Math.max(group.end, row.end);
    group.count += row.count;
  }
  return [...groups.values()];
}

/** A page of groups, ordered by their most severe, latest, largest alert as the query sorts; each group's alerts in the same order. */
export function pageGroups(
  rows: readonly AlertRow[],
  query: AlertListParams & { group: AlertGrouping },
): { groups: AlertGroup[]; next_cursor: string | null } {
  const groups = groupRows(rows, query.group);
  const keyed = groups.map((group) => {
    const fields = group.rows.map(sortFieldsOf);
    const pick = query.order === "desc" ? Math.max : Math.min;
    const combined: SortFields = {
      severity: SEVERITY_RANK[group.severity],
      end: group.end,
      start: group.start,
      count: group.count,
      changed: pick(...fields.map((field) => field.changed)),
      created: pick(...fields.map((field) => field.created)),
    };
    return { item: group, key: keyOf(combined, query.sort), id: group.key };
  });
  const { items, next_cursor } = pageOf(keyed, query);
  for (const group of items)
    group.rows = pageRows(group.rows, { ...query, cursor: undefined, limit: group.rows.length }).rows;
  return { groups: items, next_cursor };
}
