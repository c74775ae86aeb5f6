// scan: what the embedded server's primitives cost as the logs collection grows
// (design decisions rest on these figures: docs/embedded-database.md).
// Logs are loaded through ingestLogs in process (so the load also measures
// ingestion without HTTP), then each read is timed RUNS times.
import { MongoClient, type Db } from "mongodb";
import { ensureIndexes } from "@/lib/platform/db/indexes";
import { BUSIEST_USER } from "@/lib/features/generators/logs";
import { parseKeyring } from "@/lib/records/integrity/keyring";
import { isOnlyDuplicateKeyErrors } from "@/lib/platform/db/errors";
import { findByIds } from "@/lib/platform/db/find-by-ids";
import { logsCollection } from "@/lib/records/logs/collection";
import type { StoredLog } from "@/lib/records/logs/record";
import { withTemporaryEmbeddedDb } from "../../lib/embedded-db";
import { openDataset } from "../dataset";
import { ingestDataset } from "../load";
import { formatMs, formatRate, median, timeRuns } from "../measure";
import type { Suite, SuiteOptions, SuiteResult } from "../report";

const RUNS = 3;
const BATCH_SIZE = 500;
const CLIENTS = 4;
const SAMPLE_IDS = 500;
const NUMBERED_DOCS = 20_000;
const SMALL_COLLECTIONS = 90;

type Probe = { storedIds: string[]; storedLogs: StoredLog[]; numbered: number };
type Operation = { name: string; run: (db: Db) => Promise<number> };

function operations({ storedIds, storedLogs, numbered }: Probe): Operation[] {
  let next = 0;
  const anyStoredId = () => storedIds[next++ % storedIds.length]!;
  return [
    {
      name: 'countDocuments({ status: "failed" })',
      run: (db) => logsCollection(db).countDocuments({ status: "failed" }),
    },
    {
      name: `find({ user: "${BUSIEST_USER}" }).toArray()`,
      run: async (db) => (await logsCollection(db).find({ user: BUSIEST_USER }).toArray()).length,
    },
    {
      name: "findOne({ _id }), a stored string _id",
      run: async (db) => ((await logsCollection(db).findOne({ _id: anyStoredId() })) ? 1 : 0),
    },
    {
      name: "findOne({ _id }), an absent string _id",
      run: async (db) => ((await logsCollection(db).findOne({ _id: `absent-${next++}` })) ? 1 : 0),
    },
    {
      name: `findByIds, ${SAMPLE_IDS} stored _ids (16 in flight)`,
      run: async (db) => (await findByIds(logsCollection(db), storedIds)).size,
    },
    {
      name: "find({ _id: { $in: 50 ids } })",
      run: async (db) =>
        (
          await logsCollection(db)
            .find({ _id: { $in: storedIds.slice(0, 50) } })
            .toArray()
        ).length,
    },
    {
      name: `find({ _id: { $in: ${SAMPLE_IDS} ids } })`,
      run: async (db) =>
        (
          await logsCollection(db)
            .find({ _id: { $in: storedIds } })
            .toArray()
        ).length,
    },
    {
      name: `insertMany of ${BATCH_SIZE} stored logs (all duplicate keys)`,
      run: async (db) => {
        try {
          await logsCollection(db).insertMany(storedLogs, { ordered: false });
        } catch (error) {
          if (!isOnlyDuplicateKeyErrors(error)) throw error;
          return (error as { writeErrors?: unknown[] }).writeErrors?.length ?? 0;
        }
        throw new Error("stored logs were inserted again");
      },
    },
    {
      name: `findOne({ _id: <number> }), one of the last of ${NUMBERED_DOCS.toLocaleString("en-US")} numbered documents`,
      // The last documents: a lookup that is not served by an index stops at the first match.
      run: async (db) =>
        (await db.collection<{ _id: number }>("numbered").findOne({ _id: numbered - 1 - (next++ % 10) })) ? 1 : 0,
    },
    {
      name: `find() of a 5-document collection among ${SMALL_COLLECTIONS}`,
      run: async (db) => (await db.collection("small_7").find().toArray()).length,
    },
    {
      name: "aggregate $match action + $group status $sum",
      run: async (db) => {
        const groups = await logsCollection(db)
          .aggregate([{ $match: { action: "login" } }, { $group: { _id: "$status", count: { $sum: 1 } } }])
          .toArray();
        return groups.length;
      },
    },
  ];
}

/** Numbered documents the size of a checkpoint's, and many small collections, as the derived data makes. */
async function addOtherCollections(db: Db): Promise<void> {
  const numbered = Array.from({ length: NUMBERED_DOCS }, (_, n) => ({
    _id: n,
    digest: "0".repeat(64),
    signature: "0".repeat(88),
    at: new Date(),
  }));
  for (let from = 0; from < numbered.length; from += 1_000)
    await db.collection<{ _id: number }>("numbered").insertMany(numbered.slice(from, from + 1_000));
  for (let n = 0; n < SMALL_COLLECTIONS; n++) {
    await db
      .collection<{ _id: string }>(`small_${n}`)
      .insertMany(Array.from({ length: 5 }, (_, i) => ({ _id: `doc-${i}`, n: i })));
  }
}

export const scanSuite: Suite = {
  defaultSize: 10_000,
  run: async ({ size, seed, hmacKeys, progress }: SuiteOptions): Promise<SuiteResult> => {
    const dataset = await openDataset(size, seed, progress);
    return withTemporaryEmbeddedDb("ledgerline-bench-scan-", async (server) => {
      const client = new MongoClient(server.uri);
      try {
        const db = client.db("bench_scan");
        await ensureIndexes(db);
        progress(
          `scan: loading ${size.toLocaleString("en-US")} logs through ingestLogs (batches of ${BATCH_SIZE}, ${CLIENTS} at a time)`,
        );
        // Ids from every part of the collection: a lookup's cost may depend on where its row lies.
        const idsPerBatch = Math.ceil((SAMPLE_IDS * BATCH_SIZE) / size);
        const storedIds: string[] = [];
        const loadMs = await ingestDataset(db, dataset, {
          keyring: parseKeyring(hmacKeys, undefined),
          batchSize: BATCH_SIZE,
          clients: CLIENTS,
          onBatch: (batch) => {
            const step = Math.floor(batch.length / idsPerBatch);
            for (let i = 0; i < idsPerBatch && storedIds.length < SAMPLE_IDS; i++)
              storedIds.push(batch[i * step]!.log_id);
          },
        });
        await addOtherCollections(db);
        const storedLogs = await logsCollection(db).find().limit(BATCH_SIZE).toArray();
        const stored = await logsCollection(db).estimatedDocumentCount();
        if (stored !== size) throw new Error(`expected ${size} stored logs, found ${stored}`);

        const measured = [];
        for (const operation of operations({ storedIds, storedLogs, numbered: NUMBERED_DOCS })) {
          progress(`scan: ${operation.name} x${RUNS}`);
          const result = await operation.run(db);
          const times = await timeRuns(RUNS, () => operation.run(db));
          measured.push({
            name: operation.name,
            result,
            median_ms: median(times),
            min_ms: Math.min(...times),
            max_ms: Math.max(...times),
          });
        }
        const ingestRate = size / (loadMs / 1000);
        return {
          suite: "scan",
          json: {
            suite: "scan",
            size,
            seed,
            ingest: { ms: loadMs, logs_per_s: ingestRate },
            runs: RUNS,
            operations: measured,
          },
          tables: [
            {
              title: `scan: ${size.toLocaleString("en-US")} logs; in-process ingestLogs ${formatRate(ingestRate)} logs/s (${formatMs(loadMs)}); median of ${RUNS} runs`,
              header: ["operation", "result", "median", "min", "max"],
              rows: measured.map((m) => [
                m.name,
                String(m.result),
                formatMs(m.median_ms),
                formatMs(m.min_ms),
                formatMs(m.max_ms),
              ]),
              rightAligned: [1, 2, 3, 4],
            },
          ],
          notes: [],
        };
      } finally {
        await client.close();
      }
    });
  },
};
