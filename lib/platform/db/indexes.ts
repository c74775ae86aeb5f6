import type { Db, IndexDescription } from "mongodb";
import { COLLECTIONS, type CollectionName } from "./collections";

// The explorer filters on one dimension and reads newest first, so each
// filterable field is followed by time; sequence breaks ties for cursors.
// A log's _id is its log_id, so idempotent retries need no extra index.
export const INDEXES: Partial<Record<CollectionName, IndexDescription[]>> = {
  [COLLECTIONS.logs]: [
    { name: "time_desc", key: { time: -1, sequence: -1 } },
    { name: "status_time", key: { status: 1, time: -1 } },
    // The ip filter (an address or a CIDR range) always reads ip_key.
    { name: "ip_key_time", key: { ip_key: 1, time: -1 } },
    { name: "user_time", key: { user: 1, time: -1 } },
    { name: "action_time", key: { action: 1, time: -1 } },
    { name: "sequence_unique", key: { sequence: 1 }, unique: true },
  ],
  // Rollups (periods) are read by _id only.
  [COLLECTIONS.apiKeys]: [{ name: "name_unique", key: { name: 1 }, unique: true }],
  [COLLECTIONS.users]: [{ name: "email_unique", key: { email: 1 }, unique: true }],
  // Rate limits count one key's events in a time window.
  [COLLECTIONS.rateLimitEvents]: [{ name: "key_at", key: { key: 1, at: -1 } }],
};

/** Creates every index; running it again changes nothing. */
export async function ensureIndexes(db: Db): Promise<{ collection: string; indexes: string[] }[]> {
  const created = [];
  for (const [collection, indexes] of Object.entries(INDEXES)) {
    const names = [];
    // One index per command: FerretDB v1.24.2 panics (closing the connection)
    // when one createIndexes command repeats two or more existing indexes.
    for (const index of indexes ?? []) names.push(...(await db.collection(collection).createIndexes([index])));
    created.push({ collection, indexes: names });
  }
  return created;
}
