// The alert index: every alert's row (alert-rows.ts), packed per UTC day of
// creation, so the list reads a few documents instead of every alert (on the
// embedded server any query but a lone _id lookup decodes the whole
// collection). Detection and people both change rows, so each day is a chain
// of insert-only versions ("2026-12-07:00000042"): a writer reads the latest,
// inserts the next, and retries when someone else inserted it first. No
// update is lost on either backend. Old versions are then deleted; readers
// take each day's highest version.
import type { Binary, Db } from "mongodb";
import { COLLECTIONS } from "@/lib/platform/db/collections";
import { isDuplicateKeyError } from "@/lib/platform/db/errors";
import { packedJsonText, packJson } from "@/lib/platform/db/packed-json";
import { alertsCollection, type Alert } from "./alert-record";
import { dayOf, rowOf, withLaterStatus, type AlertRow } from "./alert-rows";

type DayVersion = { _id: string; day: string; version: number; rows: Binary };
/** Present once the index holds every alert (a rebuild, or a database whose first alert came after the index). */
type IndexState = { _id: typeof STATE_ID; complete: true; at: Date };
const STATE_ID = "state";

const MAX_ATTEMPTS = 50;

function indexCollection(db: Db) {
  return db.collection<DayVersion | IndexState>(COLLECTIONS.alertIndex);
}

function versionsOf(db: Db) {
  return db.collection<DayVersion>(COLLECTIONS.alertIndex);
}

/** Every alert's row, or null while the index is not complete (readers then read the alerts themselves). */
export async function readAlertRows(db: Db): Promise<AlertRow[] | null> {
  const documents = await indexCollection(db).find({}, { batchSize: 100_000 }).toArray();
  if (!documents.some((document) => document._id === STATE_ID)) return null;
  const latest = new Map<string, DayVersion>();
  for (const document of documents) {
    if (!("day" in document)) continue;
    const seen = latest.get(document.day);
    if (!seen || seen.version < document.version) latest.set(document.day, document);
  }
  return [...latest.values()].flatMap((version) => unpackRows(version.rows));
}

export async function isAlertIndexComplete(db: Db): Promise<boolean> {
  return (await indexCollection(db).findOne({ _id: STATE_ID })) !== null;
}

export async function markAlertIndexComplete(db: Db): Promise<void> {
  await indexCollection(db).replaceOne({ _id: STATE_ID }, { complete: true, at: new Date() }, { upsert: true });
}

/** Starts the index on a database without alerts: from then on every alert is indexed as it is stored. */
export async function startAlertIndexIfEmpty(db: Db): Promise<void> {
  if (await isAlertIndexComplete(db)) return;
  if ((await alertsCollection(db).findOne({}, { projection: { _id: 1 } })) === null) await markAlertIndexComplete(db);
}

/** Writes the rows of stored alerts as detection left them; a row keeps its status unless the alert records more changes. */
export async function indexAlerts(db: Db, alerts: readonly Alert[]): Promise<void> {
  await indexRows(db, alerts.map(rowOf));
}

export async function indexRows(db: Db, rows: readonly AlertRow[]): Promise<void> {
  await updateDays(db, rows, (day, fresh) => {
    for (const row of fresh) day.set(row.id, withLaterStatus(row, day.get(row.id)));
  });
}

/** Writes the status of alerts people changed; a row keeps detection's fields, and a later change already written. */
export async function indexStatuses(db: Db, alerts: readonly Alert[]): Promise<void> {
  await updateDays(db, alerts.map(rowOf), (day, changed) => {
    for (const row of changed) {
      const current = day.get(row.id);
      day.set(row.id, current ? withLaterStatus(current, row) : row);
    }
  });
}

/**
 * Groups `rows` by their day and, for each day at once, applies `change` to
 * the day's latest rows (a map by id, edited in place) and stores them as
 * the next version, again from the newest when another writer got there first.
 */
export async function updateDays(
  db: Db,
  rows: readonly AlertRow[],
  change: (day: Map<string, AlertRow>, rows: AlertRow[]) => void,
): Promise<void> {
  const byDay = new Map<string, AlertRow[]>();
  for (const row of rows) byDay.set(dayOf(row.created), [...(byDay.get(dayOf(row.created)) ?? []), row]);
  await Promise.all([...byDay].map(([day, dayRows]) => updateDay(db, day, (current) => change(current, dayRows))));
}

async function updateDay(db: Db, day: string, change: (rows: Map<string, AlertRow>) => void): Promise<void> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const latest = await versionsOf(db).find({ day }).sort({ version: -1 }).limit(1).next();
    const rows = new Map((latest ? unpackRows(latest.rows) : []).map((row) => [row.id, row]));
    change(rows);
    const version = (latest?.version ?? 0) + 1;
    try {
      await versionsOf(db).insertOne({
        _id: versionId(day, version),
        day,
        version,
        rows: packJson([...rows.values()].map(packRow)),
      });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
      continue;
    }
    // The version read stays until the next write: a reader between the two still finds the day.
    if (latest) await versionsOf(db).deleteMany({ day, version: { $lt: latest.version } });
    return;
  }
  throw new Error(`the alert index of ${day} kept changing under ${MAX_ATTEMPTS} attempts to write it`);
}

function versionId(day: string, version: number): string {
  return `${day}:${String(version).padStart(8, "0")}`;
}

/** Removes the index, for a rebuild. */
export async function dropAlertIndex(db: Db): Promise<void> {
  await indexCollection(db).deleteMany({});
}

// Rows as arrays: 20,000 rows of named fields would be mostly names.
const ROW_FIELDS = [
  "id",
  "type",
  "severity",
  "ip",
  "user",
  "source",
  "start",
  "end",
  "count",
  "created",
  "status",
  "changes",
  "changed_at",
  "changed_by",
] as const;

function packRow(row: AlertRow): unknown[] {
  return ROW_FIELDS.map((field) => row[field] ?? null);
}

function unpackRows(packed: Binary): AlertRow[] {
  return (JSON.parse(packedJsonText(packed)) as unknown[][]).map(
    (values) =>
      Object.fromEntries(
        ROW_FIELDS.flatMap((field, index) => (values[index] === null ? [] : [[field, values[index]]])),
      ) as AlertRow,
  );
}
