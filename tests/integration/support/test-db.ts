// Integration tests talk to a real server: the one `npm test` starts (its
// address arrives as MONGODB_URI). Each test file works in a database of its
// own, dropped afterwards, so files can run in any order.
import { randomBytes } from "node:crypto";
import { after, before } from "node:test";
import { MongoClient, type Db } from "mongodb";
import { getConfig } from "@/lib/foundation/config";

export type TestDatabase = { client: MongoClient; db: Db };

/** Registers before/after hooks and returns a handle filled in before the first test. */
export function setupTestDatabase(label: string): TestDatabase {
  const handle = {} as TestDatabase;
  before(async () => {
    handle.client = new MongoClient(getConfig().mongodbUri, { serverSelectionTimeoutMS: 5_000 });
    await handle.client.connect();
    handle.db = handle.client.db(`test_${label}_${randomBytes(4).toString("hex")}`);
  });
  after(async () => {
    await handle.db?.dropDatabase().catch(() => {});
    await handle.client?.close();
  });
  return handle;
}
