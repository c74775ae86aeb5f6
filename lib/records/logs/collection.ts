import type { Db } from "mongodb";
import { COLLECTIONS } from "@/lib/platform/db/collections";
import type { StoredLog } from "./record";

export function logsCollection(db: Db) {
  return db.collection<StoredLog>(COLLECTIONS.logs);
}
