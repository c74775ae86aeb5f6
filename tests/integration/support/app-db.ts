// For tests that go through the app's own code paths (route handlers, getDb):
// points the app's configuration at a database of this test file's own,
// dropped afterwards. Must run before anything reads the configuration.
import { randomBytes } from "node:crypto";
import { after } from "node:test";
import type { Db } from "mongodb";
import { flushAuditEvents } from "@/lib/records/audit/access-audit";
import type { ApiKeyScope } from "@/lib/records/auth/api-key-schemas";
import { createApiKey } from "@/lib/records/auth/api-keys";
import { closeMongoClient, getDb } from "@/lib/platform/db/client";

export function setupAppDatabase(label: string, env: Record<string, string> = {}): void {
  process.env.MONGODB_DB = `test_${label}_${randomBytes(4).toString("hex")}`;
  Object.assign(process.env, env);
  after(async () => {
    await flushAuditEvents();
    await (await getDb()).dropDatabase();
    await closeMongoClient();
  });
}

export async function createTestApiKey(db: Db, scopes: ApiKeyScope[] = ["ingest"]): Promise<string> {
  const { key } = await createApiKey(db, { name: `key-${randomBytes(4).toString("hex")}`, scopes }, { user: "test" });
  return key;
}
