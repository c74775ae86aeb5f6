// Logs stored far from their place in the collection's natural order: a
// restore into a store that already holds logs inserts the missing ones (old
// sequences) after newer logs. Listed here so that in-order readers
// (sequence-order.ts) fetch them by log_id and merge them in; past
// MISPLACED_LIMIT the list gives up and readers let the server sort. One
// document, its list as one JSON text (the embedded server decodes a long
// BSON array value by value).
import type { Db } from "mongodb";
import { COLLECTIONS } from "@/lib/platform/db/collections";

export const MISPLACED_LIMIT = 5_000;
const LIST_ID = "restored";

type MisplacedDoc = { _id: typeof LIST_ID; logs: string | null };
/** A misplaced log: its log_id and sequence. */
export type MisplacedLog = [string, number];

function misplacedCollection(db: Db) {
  return db.collection<MisplacedDoc>(COLLECTIONS.misplacedLogs);
}

/** The misplaced logs, or "too_many" when the list gave up. */
export async function readMisplacedLogs(db: Db): Promise<MisplacedLog[] | "too_many"> {
  const doc = await misplacedCollection(db).findOne({ _id: LIST_ID });
  if (!doc) return [];
  return doc.logs === null ? "too_many" : (JSON.parse(doc.logs) as MisplacedLog[]);
}

/** Adds logs about to be inserted out of place; call before inserting them. */
export async function recordMisplacedLogs(db: Db, logs: readonly MisplacedLog[]): Promise<void> {
  if (logs.length === 0) return;
  const known = await readMisplacedLogs(db);
  if (known === "too_many") return;
  const merged = new Map([...known, ...logs]);
  const list = merged.size > MISPLACED_LIMIT ? null : JSON.stringify([...merged]);
  await misplacedCollection(db).replaceOne(
    { _id: LIST_ID },
    { logs: list },
    { upsert: true, writeConcern: { w: "majority", j: true } },
  );
}
