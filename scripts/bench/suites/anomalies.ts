// anomalies: what detection over stored logs costs against simply reading the
// same logs. The dataset's last 14 days are analysed against the 14 days
// before them (the baseline), so both reads cover the whole dataset. Detection
// runs as `npm run anomalies -- --json`, its own process, for wall time and
// peak RSS; the raw side iterates the very same cursors in this process.
import path from "node:path";
import { MongoClient, type Db } from "mongodb";
import { parseDetectionConfig } from "@/lib/records/anomaly";
import { detectionReads, timeOrdered } from "@/lib/derived/alerts/find-anomalies";
import { ensureIndexes } from "@/lib/platform/db/indexes";
import { generateCheckpointKeySpec } from "@/lib/records/integrity/checkpoint-keys";
import { parseKeyring } from "@/lib/records/integrity/keyring";
import { withTemporaryEmbeddedDb } from "../../lib/embedded-db";
import { measureCommand, rssMethod } from "../command";
import { DATASET_SPAN, openDataset } from "../dataset";
import { ingestDataset } from "../load";
import { formatMs, formatRate, median, timed } from "../measure";
import type { Suite, SuiteOptions, SuiteResult } from "../report";
import { runEnv } from "../run-env";

/** At most; fewer with --rounds (a 1,000,000-log round takes over half an hour). */
const MAX_ROUNDS = 3;
const DB_NAME = "bench_anomalies";
const DAY_MS = 86_400_000;
const TARGET_RATIO = 1.5;
const TARGET_RSS_RATIO = 1.2;

type Round = { detectMs: number; rawMs: number; peakRssKb: number; findings: number };

export const anomaliesSuite: Suite = {
  defaultSize: 100_000,
  run: async ({ size, seed, rounds: roundsAsked, hmacKeys, progress }: SuiteOptions): Promise<SuiteResult> => {
    const dataset = await openDataset(size, seed, progress);
    const to = DATASET_SPAN.to;
    const from = new Date(to.getTime() - 14 * DAY_MS);
    return withTemporaryEmbeddedDb("ledgerline-bench-anomalies-", async (server) => {
      const client = new MongoClient(server.uri);
      try {
        const db = client.db(DB_NAME);
        await ensureIndexes(db);
        progress(`anomalies: loading ${size.toLocaleString("en-US")} logs through ingestLogs`);
        const loadMs = await ingestDataset(db, dataset, {
          keyring: parseKeyring(hmacKeys, undefined),
          batchSize: 1_000,
          clients: 4,
          progress,
        });
        const env = {
          ...process.env,
          ...runEnv({ uri: server.uri, dbName: DB_NAME, hmacKeys, checkpointKeys: generateCheckpointKeySpec("bench") }),
        };
        const command = [
          "npx",
          "tsx",
          path.join("scripts", "anomalies.ts"),
          "--from",
          from.toISOString(),
          "--to",
          to.toISOString(),
          "--json",
        ];
        const rounds: Round[] = [];
        const roundCount = Math.min(MAX_ROUNDS, roundsAsked);
        for (let round = 1; round <= roundCount; round++) {
          progress(`anomalies: round ${round}/${roundCount}`);
          // Alternate which goes first, so neither profits from a warmer server.
          const raw = () => timed(() => readRaw(db, from, to));
          const detect = () => measureCommand(command, env, rssMethod());
          const rawFirst = round % 2 === 1;
          const rawMs = rawFirst ? await raw() : 0;
          const measured = await detect();
          const rawMsAfter = rawFirst ? rawMs : await raw();
          if (measured.exitCode !== 0)
            throw new Error(`${command.join(" ")} exited ${measured.exitCode}\n${measured.stderr}`);
          const findings = (JSON.parse(measured.stdout.trim().split("\n").at(-1)!) as { findings: unknown[] }).findings
            .length;
          rounds.push({ detectMs: measured.wallMs, rawMs: rawMsAfter, peakRssKb: measured.peakRssKb, findings });
        }
        return summarize(size, loadMs, rounds);
      } finally {
        await client.close();
      }
    });
  },
};

/** The same two cursors detection reads, iterated and nothing else. */
async function readRaw(db: Db, from: Date, to: Date): Promise<number> {
  const reads = detectionReads({ from, to }, parseDetectionConfig());
  let count = 0;
  for (const filter of [reads.baseline, reads.analysed]) for await (const _log of timeOrdered(db, filter)) count++;
  return count;
}

function summarize(size: number, loadMs: number, rounds: Round[]): SuiteResult {
  const detectMs = median(rounds.map((r) => r.detectMs));
  const rawMs = median(rounds.map((r) => r.rawMs));
  const peakRssMb = median(rounds.map((r) => r.peakRssKb)) / 1024;
  const ratio = detectMs / rawMs;
  return {
    suite: "anomalies",
    json: {
      suite: "anomalies",
      size,
      load_ms: loadMs,
      rounds,
      median_detect_ms: detectMs,
      median_raw_ms: rawMs,
      ratio,
      median_peak_rss_mb: peakRssMb,
      target_ratio: TARGET_RATIO,
      target_rss_ratio_vs_100k: TARGET_RSS_RATIO,
    },
    tables: [
      {
        title: `anomalies: ${size.toLocaleString("en-US")} logs (loaded at ${formatRate(size / (loadMs / 1000))} logs/s); last 14 days of the dataset analysed against the 14 before; ${rounds.length} round${rounds.length === 1 ? "" : "s"}`,
        header: ["round", "npm run anomalies", "raw cursors", "ratio", "peak RSS", "findings"],
        rows: [
          ...rounds.map((r, i) => [
            String(i + 1),
            formatMs(r.detectMs),
            formatMs(r.rawMs),
            (r.detectMs / r.rawMs).toFixed(2),
            `${(r.peakRssKb / 1024).toFixed(1)} MB`,
            String(r.findings),
          ]),
          ["median", formatMs(detectMs), formatMs(rawMs), ratio.toFixed(2), `${peakRssMb.toFixed(1)} MB`, ""],
        ],
        rightAligned: [1, 2, 3, 4, 5],
      },
    ],
    notes: [
      `npm run anomalies: wall time of the whole command (npx and tsx start-up included) and the peak RSS of its largest process`,
      `raw cursors: the baseline and analysed cursors detection reads (same filters, projection and sort), iterated in the bench process`,
      `targets: ratio <= ${TARGET_RATIO}; peak RSS at 1,000,000 logs <= ${TARGET_RSS_RATIO} x the figure at 100,000 (compare two runs)`,
    ],
  };
}
