import type { Collection, Document, WithId } from "mongodb";
import { forEachConcurrently } from "@/lib/foundation/util/concurrently";

// The embedded server answers a lone _id equality from an index (the launcher
// puts every collection's _id index on the expression its lookups use) but
// reads and decodes the whole collection for `_id: {$in: [...]}`. So a set of
// ids is looked up one id at a time, 16 in flight (the best on 2 cores). Each
// lookup is a bare `find` command: the driver's cursor machinery costs more of
// our CPU than the server's answer takes of its own. On MongoDB
// each is an index seek too.
const IN_FLIGHT = 16;

/** The documents stored under `ids`, by id; an id with no document is absent from the map. */
export async function findByIds<T extends Document & { _id: string }>(
  collection: Collection<T>,
  ids: Iterable<string>,
  options: { projection?: Document } = {},
): Promise<Map<string, WithId<T>>> {
  const found = new Map<string, WithId<T>>();
  await forEachConcurrently(new Set(ids), IN_FLIGHT, async (id) => {
    const reply = await collection.db.command({
      find: collection.collectionName,
      filter: { _id: id },
      ...(options.projection && { projection: options.projection }),
      limit: 1,
      singleBatch: true,
    });
    const doc = (reply as { cursor: { firstBatch: WithId<T>[] } }).cursor.firstBatch[0];
    if (doc) found.set(id, doc);
  });
  return found;
}
