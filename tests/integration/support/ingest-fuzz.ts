// What every ingestion fuzz file (tests/integration/fuzz-ingest-*.test.ts) shares:
// its own database with limits a fuzz can reach, an ingest key, and the checks
// of what a request left stored. What a request stored is deleted after the
// check, so counting the store stays cheap on the embedded server, whose
// counts read every document.
import assert from "node:assert/strict";
import { before } from "node:test";
import type { Db } from "mongodb";
import { getDb } from "@/lib/platform/db/client";
import { findByIds } from "@/lib/platform/db/find-by-ids";
import { logsCollection } from "@/lib/records/logs/collection";
import { createTestApiKey, setupAppDatabase } from "./app-db";

export const MAX_BODY_BYTES = 1024 * 1024;
export const MAX_ITEMS = 50;

/** The top-level ECS fields the bulk mapping reads; any other field of a document becomes metadata. */
export const ECS_ROOTS: ReadonlySet<string> = new Set([
  "@timestamp",
  "message",
  "user",
  "event",
  "source",
  "client",
  "service",
  "host",
  "agent",
  "ecs",
  "input",
  "@metadata",
  "@version",
  "log",
]);

export type IngestFuzz = {
  readonly db: Db;
  readonly key: string;
  /** Exactly `ids` were stored by the request (checked, then deleted). */
  expectStoredThenRemove(ids: string[], context: string): Promise<void>;
  /** The request stored nothing. */
  expectNothingStored(context: string): Promise<void>;
  /** Counts the store again, after a request whose stored logs cannot be named. */
  recount(): Promise<void>;
};

/** Call at the top of the file: a database of its own, no rate limit in the way, and the key the requests send. */
export function setupIngestFuzz(label: string): IngestFuzz {
  setupAppDatabase(label, {
    INGEST_RATE_LIMIT_PER_MINUTE: "1000000",
    INGEST_MAX_ITEMS: String(MAX_ITEMS),
    INGEST_MAX_BODY_BYTES: String(MAX_BODY_BYTES),
  });
  let baseline = 0;
  const fuzz = {
    db: undefined as unknown as Db,
    key: "",
    async expectStoredThenRemove(ids: string[], context: string) {
      const stored = await findByIds(logsCollection(fuzz.db), ids);
      assert.equal(stored.size, new Set(ids).size, `every accepted id is stored: ${context}`);
      assert.equal(
        await logsCollection(fuzz.db).countDocuments(),
        baseline + stored.size,
        `nothing but the accepted logs is stored: ${context}`,
      );
      await Promise.all(ids.map((id) => logsCollection(fuzz.db).deleteOne({ _id: id })));
    },
    async expectNothingStored(context: string) {
      assert.equal(
        await logsCollection(fuzz.db).countDocuments(),
        baseline,
        `a refused request stores nothing: ${context}`,
      );
    },
    async recount() {
      baseline = await logsCollection(fuzz.db).countDocuments();
    },
  };
  before(async () => {
    fuzz.db = await getDb();
    fuzz.key = await createTestApiKey(fuzz.db, ["ingest"]);
    await fuzz.recount();
  });
  return fuzz;
}
