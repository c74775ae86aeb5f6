// scan: how reads cost on the embedded server as the logs collection grows.
// Logs are loaded through ingestLogs in process (so the load also measures
// ingestion without HTTP), then each read is timed RUNS times.
import { MongoClient, type Db } from "mongodb";
import { ensureIndexes } from "@/lib/db/indexes";
import { BUSIEST_USER } from "@/lib/generators/logs";
import { parseKeyring } from "@/lib/integrity/keyring";
import { logsCollection } from "@/lib/logs/collection";
import { withTemporaryEmbeddedDb } from "../../lib/embedded-db";
import { openDataset } from "../dataset";
import { ingestDataset } from "../load";
import { formatMs, formatRate, median, timeRuns } from "../measure";
import type { Suite, SuiteOptions, SuiteResult } from "../report";

const RUNS = 5;
const BATCH_SIZE = 500;
const CLIENTS = 4;

type Operation = { name: string; run: (db: Db) => Promise<number> };

function operations(probeId: string): Operation[] {
  return [
    { name: 'countDocuments({ status: "failed" })', run: (db) => logsCollection(db).countDocuments({ status: "failed" }) },
    {
      name: `find({ user: "${BUSIEST_USER}" }).toArray()`,
      run: async (db) => (await logsCollection(db).find({ user: BUSIEST_USER }).toArray()).length,
    },
    { name: "findOne({ _id })", run: async (db) => ((await logsCollection(db).findOne({ _id: probeId })) ? 1 : 0) },
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

export const scanSuite: Suite = {
  defaultSize: 10_000,
  run: async ({ size, seed, hmacKeys, progress }: SuiteOptions): Promise<SuiteResult> => {
    const dataset = await openDataset(size, seed, progress);
    return withTemporaryEmbeddedDb("ledgerline-bench-scan-", async (server) => {
      const client = new MongoClient(server.uri);
      try {
        const db = client.db("bench_scan");
        await ensureIndexes(db);
        progress(`scan: loading ${size.toLocaleString("en-US")} logs through ingestLogs (batches of ${BATCH_SIZE}, ${CLIENTS} at a time)`);
        let probeId = "";
        const loadMs = await ingestDataset(db, dataset, {
          keyring: parseKeyring(hmacKeys, undefined),
          batchSize: BATCH_SIZE,
          clients: CLIENTS,
          onBatch: (batch) => (probeId ||= batch[Math.floor(batch.length / 2)]!.log_id),
        });
        const stored = await logsCollection(db).estimatedDocumentCount();
        if (stored !== size) throw new Error(`expected ${size} stored logs, found ${stored}`);

        const measured = [];
        for (const operation of operations(probeId)) {
          progress(`scan: ${operation.name} x${RUNS}`);
          const result = await operation.run(db);
          const times = await timeRuns(RUNS, () => operation.run(db));
          measured.push({ name: operation.name, result, median_ms: median(times), min_ms: Math.min(...times), max_ms: Math.max(...times) });
        }
        const ingestRate = size / (loadMs / 1000);
        return {
          suite: "scan",
          json: { suite: "scan", size, seed, ingest: { ms: loadMs, logs_per_s: ingestRate }, runs: RUNS, operations: measured },
          tables: [
            {
              title: `scan: ${size.toLocaleString("en-US")} logs; in-process ingestLogs ${formatRate(ingestRate)} logs/s (${formatMs(loadMs)}); median of ${RUNS} runs`,
              header: ["operation", "result", "median", "min", "max"],
              rows: measured.map((m) => [m.name, String(m.result), formatMs(m.median_ms), formatMs(m.min_ms), formatMs(m.max_ms)]),
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
