// Whether the server is FerretDB (the embedded default) rather than MongoDB.
// Readers that need many documents in an order ask this: MongoDB walks an
// index in that order, while FerretDB v1 decodes and sorts every matching
// document in memory, so there they read in natural order and reorder.
import type { Db, MongoClient } from "mongodb";

const known = new WeakMap<MongoClient, Promise<boolean>>();

export function isFerretDb(db: Db): Promise<boolean> {
  let answer = known.get(db.client);
  if (answer === undefined) {
    answer = db
      .admin()
      .command({ buildInfo: 1 })
      .then((info) => typeof info.ferretdbVersion === "string");
    // A failed probe is asked again next time.
    answer.catch(() => known.delete(db.client));
    known.set(db.client, answer);
  }
  return answer;
}
