import type { Db } from "mongodb";

/** Every collection Ledgerline owns, by role. */
export const COLLECTIONS = {
  logs: "logs",
  users: "users",
  apiKeys: "api_keys",
  checkpoints: "checkpoints",
  alerts: "alerts",
  counters: "counters",
} as const;

export type CollectionName = (typeof COLLECTIONS)[keyof typeof COLLECTIONS];

export function logsCollection(db: Db) {
  return db.collection(COLLECTIONS.logs);
}
