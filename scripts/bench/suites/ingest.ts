// ingest: throughput of POST /api/logs on the production build against the
// fastest the same server can store the same documents (plain insertMany).
// Rounds alternate which goes first, and every run writes into a fresh
// database, so that neither side profits from a warmer or emptier server.
// Event times are rebased onto the moment of each round and compressed into
// about its duration, as a live service sends events (the default, on which
// the target is judged), or with --event-times dataset the dataset's own
// (four weeks sent in seconds: a backfill, what `npm run import` is for).
// Both sides of a round store identical documents. With --protocol bulk, otlp
// or syslog the same logs go through that protocol, measured against our own
// JSON endpoint on the same run instead of against insertMany.
import { MongoClient, type Db } from "mongodb";
import { ensureIndexes } from "@/lib/platform/db/indexes";
import { latestDerivedMark } from "@/lib/derived/derivation/derive";
import { logsCollection } from "@/lib/records/logs/collection";
import { withTemporaryEmbeddedDb } from "../../lib/embedded-db";
import { openDataset } from "../dataset";
import { startIngestApp } from "../ingest-app";
import { formatMs, formatRate, median, timed } from "../measure";
import { ensureNextBuild } from "../../lib/next-app";
import type { EventTimesMode, Suite, SuiteOptions, SuiteResult } from "../report";
import type { IngestProtocol } from "../protocols";
import { runEnv } from "../run-env";
import {
  BATCH_SIZE,
  CLIENTS,
  insertBatches,
  liveEventTimes,
  postBatches,
  prepareBatches,
  type PreparedBatch,
  type PreparedRun,
} from "./ingest-clients";
import { generateCheckpointKeySpec } from "@/lib/records/integrity/checkpoint-keys";

/** HTTP JSON against insertMany; another protocol against HTTP JSON. */
const TARGET_RATIO = { json: 0.7, other: 0.8 } as const;
/** Live event times span the dataset's size at this rate: about as long as a round's HTTP run. */
const LIVE_LOGS_PER_SECOND = 5_000;
/** Pinned for the app; live event times never run further ahead than LIVE_MAX_SPAN_MS, well within it. */
const MAX_FUTURE_SKEW_SECONDS = 300;
const LIVE_MAX_SPAN_MS = 240_000;
/** Checkpoints come every 2 s in the app; its first after the warm-up is waited for this long at most. */
const DERIVED_TIMEOUT_MS = 30_000;

type Run = { logsPerSecond: number; batchMedianMs: number };
type Round = { round: number; http: Run; baseline: Run };

export const ingestSuite: Suite = {
  defaultSize: 20_000,
  run: async ({
    size,
    seed,
    rounds,
    build,
    eventTimes,
    protocol,
    hmacKeys,
    progress,
  }: SuiteOptions): Promise<SuiteResult> => {
    await ensureNextBuild(build, progress);
    const dataset = await openDataset(size, seed, progress);
    const liveSpanMs = Math.min((size / LIVE_LOGS_PER_SECOND) * 1000, LIVE_MAX_SPAN_MS);
    const protocols = protocol === "json" ? (["json"] as const) : (["json", protocol] as const);
    const datasetTimes = eventTimes === "dataset" ? await prepareBatches(dataset, protocols) : undefined;
    return withTemporaryEmbeddedDb("ledgerline-bench-ingest-", async (server) => {
      const client = new MongoClient(server.uri);
      try {
        const results: Round[] = [];
        for (let round = 1; round <= rounds; round++) {
          // Live times start now, so each round prepares its own (before either side's clock starts).
          const prepared =
            datasetTimes ?? (await prepareBatches(dataset, protocols, liveEventTimes(new Date(), liveSpanMs)));
          const httpFirst = round % 2 === 1;
          const measured: Partial<Round> = { round };
          for (const side of httpFirst ? (["http", "baseline"] as const) : (["baseline", "http"] as const)) {
            progress(`ingest: round ${round}/${rounds}, ${side}`);
            const db = client.db(`bench_${side}_${round}`);
            try {
              measured[side] =
                side === "http"
                  ? await measureHttp(db, server.uri, hmacKeys, prepared, protocol)
                  : protocol === "json"
                    ? await measureBaseline(db, prepared)
                    : await measureHttp(db, server.uri, hmacKeys, prepared, "json");
            } finally {
              await db.dropDatabase();
            }
          }
          results.push(measured as Round);
        }
        return summarize(size, seed, eventTimes, protocol, results);
      } finally {
        await client.close();
      }
    });
  },
};

async function measureHttp(
  db: Db,
  serverUri: string,
  hmacKeys: string,
  prepared: PreparedRun,
  protocol: IngestProtocol,
): Promise<Run> {
  const app = await startIngestApp(db, {
    maxItems: BATCH_SIZE,
    env: {
      ...runEnv({
        uri: serverUri,
        dbName: db.databaseName,
        hmacKeys,
        checkpointKeys: generateCheckpointKeySpec("bench"),
      }),
      // Far more often than the default minute, so that checkpointing's cost shows in the figures.
      CHECKPOINT_INTERVAL_SECONDS: "2",
      INGEST_MAX_FUTURE_SKEW_SECONDS: String(MAX_FUTURE_SKEW_SECONDS),
    },
  });
  try {
    return await measureRun(
      db,
      prepared,
      (batches) => postBatches(app.url, app.apiKey, batches, protocol),
      () => untilDerived(db),
    );
  } finally {
    await app.stop();
  }
}

async function measureBaseline(db: Db, prepared: PreparedRun): Promise<Run> {
  await ensureIndexes(db);
  return measureRun(db, prepared, (batches) => insertBatches(db, batches));
}

/**
 * Warms up (the same batches for both sides, and for the app until a
 * checkpoint derived them), then times the measured batches and checks that
 * each log was stored.
 */
async function measureRun(
  db: Db,
  prepared: PreparedRun,
  write: (batches: PreparedBatch[]) => Promise<number[]>,
  warmedUp = async () => {},
): Promise<Run> {
  await write(prepared.warmUp);
  await warmedUp();
  const before = await logsCollection(db).estimatedDocumentCount();
  let latencies: number[] = [];
  const ms = await timed(async () => (latencies = await write(prepared.measured)));
  const stored = (await logsCollection(db).estimatedDocumentCount()) - before;
  if (stored !== prepared.size)
    throw new Error(`${db.databaseName}: expected ${prepared.size} new logs, found ${stored}`);
  return { logsPerSecond: prepared.size / (ms / 1000), batchMedianMs: median(latencies) };
}

/**
 * Waits for the app's first derived checkpoint: it creates the collections
 * derived data lives in (rollups, alerts, baselines, detection state), a cost
 * a database pays once (the rollups' once a day), not one of ingesting.
 */
async function untilDerived(db: Db): Promise<void> {
  const deadline = Date.now() + DERIVED_TIMEOUT_MS;
  while (!(await latestDerivedMark(db))) {
    if (Date.now() > deadline)
      throw new Error(
        `${db.databaseName}: no checkpoint was derived within ${DERIVED_TIMEOUT_MS / 1000} s of the warm-up`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function summarize(
  size: number,
  seed: number,
  eventTimes: EventTimesMode,
  protocol: IngestProtocol,
  rounds: Round[],
): SuiteResult {
  const targetRatio = protocol === "json" ? TARGET_RATIO.json : TARGET_RATIO.other;
  const [measuredName, referenceName] = protocol === "json" ? ["HTTP", "baseline"] : [protocol, "JSON"];
  const medianRun = (side: "http" | "baseline"): Run => ({
    logsPerSecond: median(rounds.map((r) => r[side].logsPerSecond)),
    batchMedianMs: median(rounds.map((r) => r[side].batchMedianMs)),
  });
  const http = medianRun("http");
  const baseline = medianRun("baseline");
  const ratio = http.logsPerSecond / baseline.logsPerSecond;
  // Each round's two runs are minutes apart at most, so their ratio shrugs off slow drifts in machine load.
  const roundRatio = median(rounds.map((r) => r.http.logsPerSecond / r.baseline.logsPerSecond));
  const row = (label: string, h: Run, b: Run) => [
    label,
    formatRate(h.logsPerSecond),
    formatRate(b.logsPerSecond),
    (h.logsPerSecond / b.logsPerSecond).toFixed(2),
    formatMs(h.batchMedianMs),
    formatMs(b.batchMedianMs),
  ];
  return {
    suite: "ingest",
    json: {
      suite: "ingest",
      size,
      seed,
      event_times: eventTimes,
      protocol,
      reference: protocol === "json" ? "insertMany" : "json",
      batch_size: BATCH_SIZE,
      clients: CLIENTS,
      rounds: rounds.map((r) => ({
        round: r.round,
        http_logs_per_s: r.http.logsPerSecond,
        baseline_logs_per_s: r.baseline.logsPerSecond,
        http_batch_median_ms: r.http.batchMedianMs,
        baseline_batch_median_ms: r.baseline.batchMedianMs,
      })),
      median_http_logs_per_s: http.logsPerSecond,
      median_baseline_logs_per_s: baseline.logsPerSecond,
      ratio,
      median_round_ratio: roundRatio,
      target_ratio: targetRatio,
      meets_target: ratio >= targetRatio,
    },
    tables: [
      {
        title: `ingest (${protocol === "json" ? "POST /api/logs against insertMany" : `${protocol} against POST /api/logs`}): ${size.toLocaleString("en-US")} logs, batches of ${BATCH_SIZE}, ${CLIENTS} concurrent clients, ${eventTimes === "live" ? "live event times" : "the dataset's event times (a backfill)"}`,
        header: [
          "round",
          `${measuredName} logs/s`,
          `${referenceName} logs/s`,
          "ratio",
          `${measuredName} batch p50`,
          `${referenceName} batch p50`,
        ],
        rows: [...rounds.map((r) => row(String(r.round), r.http, r.baseline)), row("median", http, baseline)],
        rightAligned: [1, 2, 3, 4, 5],
      },
    ],
    notes: [
      `${measuredName}/${referenceName}: ${ratio.toFixed(2)} (ratio of medians; target >= ${targetRatio}: ${ratio >= targetRatio ? "met" : "NOT met"}), ` +
        `median of the rounds' ratios ${roundRatio.toFixed(2)}`,
    ],
  };
}
