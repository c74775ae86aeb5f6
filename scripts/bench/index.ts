// npm run bench – performance figures, run by hand (never in CI): each suite
// starts its own throwaway embedded database and reads one cached dataset.
import { z } from "zod";
import { generateKeySpec } from "@/lib/records/integrity/keyring";
import { runCli } from "../lib/cli";
import { INGEST_PROTOCOLS } from "./protocols";
import { EVENT_TIMES_MODES, printResult, type Suite, type SuiteResult } from "./report";
import { alertsSuite } from "./suites/alerts";
import { anomaliesSuite } from "./suites/anomalies";
import { dashboardSuite } from "./suites/dashboard";
import { explorerSuite } from "./suites/explorer";
import { ingestSuite } from "./suites/ingest";
import { retrySuite } from "./suites/retry";
import { scanSuite } from "./suites/scan";
import { verifySuite } from "./suites/verify";

const SUITES: Record<string, Suite> = {
  scan: scanSuite,
  ingest: ingestSuite,
  verify: verifySuite,
  explorer: explorerSuite,
  anomalies: anomaliesSuite,
  dashboard: dashboardSuite,
  retry: retrySuite,
  alerts: alertsSuite,
};
const SUITE_NAMES = Object.keys(SUITES) as [string, ...string[]];

runCli({
  usage: `Usage: npm run bench -- [--suite all|${SUITE_NAMES.join("|")}] [--size N] [--seed N] [--rounds N] [--build] [--json]

Measures Ledgerline against a fresh embedded database (FerretDB on SQLite) per
suite, on generated security logs cached under .data/bench/. Run it by hand on
a quiet machine, never in CI; performance targets live here, not in tests.

  --suite S    all (default), scan, ingest, verify, explorer, anomalies, dashboard,
               retry or alerts
               scan:   loads the logs through ingestLogs in process, then times
                       count, find by user, findOne by _id and a $group
                       aggregation (median of 5 runs each)
               ingest: POST /api/logs on \`next start\` (batches of 500, 4
                       clients) against plain insertMany of the same stored
                       documents; reports logs/s and the ratio (target >= 0.7)
               verify: loads the logs through ingestLogs (batches of 1,000, a
                       checkpoint every 10,000), then runs \`npx tsx
                       scripts/verify.ts --json\` as a child process 3 times;
                       reports logs/s and its peak RSS (median), which should
                       hardly grow with --size (target: 1M <= 1.2 x 100k)
               explorer: loads the logs through ingestLogs (a checkpoint
                       every 10,000, which derives the search layout), then on
                       one \`next start\` times, over windows ending at the
                       dataset's end: GET /api/logs' first page for the last
                       24 h (target <= 150 ms at 100k, 300 ms at 1M), 7 d with
                       status=failed&ip=<the /24 with most failures> (400 /
                       700 ms), 7 d with q=<a message word in about 1% of
                       them> (800 ms / 1.5 s), all time with user=<nobody>
                       (1 / 3 s); the signed-in /logs page's HTML for the last
                       24 h (500 ms / 1 s); the CSV export of 7 d with
                       status=failed (first byte <= 1 s, >= 5,000 rows/s) and
                       the NDJSON one (for reference); median of --rounds
                       after a warm-up, checked once against a brute-force
                       filter (up to 200,000 logs)
               anomalies: loads the logs through ingestLogs, then runs
                       \`npm run anomalies\` over the dataset's last 14 days
                       (baseline: the 14 before) 3 times (or --rounds, if fewer) against iterating the
                       same cursors (target ratio <= 1.5), with its peak RSS
                       (target: 1M <= 1.2 x 100k)
               dashboard: loads the logs through ingestLogs (a checkpoint
                       every 10,000, which writes the rollups and the
                       search layout), then times getDashboard for the
                       dataset's last 24 h and 7 d and 15 min to noon of its
                       last day, median of --rounds (targets: 7 d under 1 s
                       at 1M, 1M <= 1.5 x 100k; 15 min <= 100 ms at 100k,
                       200 ms at 1M)
               retry:  loads the logs through ingestLogs (batches of 500, 4
                       clients), then on one \`next start\` sends the first, a
                       middle and the last stored batch again to POST
                       /api/logs, --rounds times each (200, all duplicates;
                       target: median answer within 1 s at 100k and 1M), and
                       the last with one message changed (409); then runs
                       \`npx tsx scripts/import.ts FILE --json\` on 10,000 new
                       logs twice (target: the re-import's rows/s >= the
                       first's)
               alerts: stores --size alerts (default 20,000) as detection
                       stores them, then on one \`next start\` times the
                       signed-in /anomalies page (default view, filtered,
                       grouped by IP, page 2) and GET /api/alerts, median of
                       --rounds after a warm-up, with the machine's load
                       (target: each render within 1 s at 20,000 alerts)
  --size N     logs in the dataset (default ${scanSuite.defaultSize.toLocaleString("en-US")} for scan, ${ingestSuite.defaultSize.toLocaleString("en-US")} for ingest,
               ${alertsSuite.defaultSize.toLocaleString("en-US")} alerts for alerts, ${verifySuite.defaultSize.toLocaleString("en-US")} for the others); 1000000 is supported but takes long
  --seed N     dataset seed (default 1)
  --event-times live|dataset
               ingest: rebase the dataset's event times onto the moment of
               each round, compressed into about its duration (order and
               relative spacing kept), as a live service sends them
               (default; the target is judged on it), or send the dataset's
               own times (four weeks of events in seconds: a backfill, which
               \`npm run import\` is for)
  --protocol json|bulk|otlp|syslog
               ingest: how the logs are sent. json (default) is POST
               /api/logs against plain insertMany (target: 0.7); the others
               send the same logs through POST /_bulk (ECS documents), POST
               /v1/logs (OTLP JSON) or POST /api/logs/syslog (one sshd line
               per log), each against POST /api/logs on the same run
               (target: 0.8)
  --rounds N   ingest rounds, each timing HTTP and baseline, taking turns
               at going first, explorer and dashboard timings and retry's
               re-sends of each batch (default 5);
               verify always runs 3, anomalies 3 or --rounds if fewer
  --build      run \`next build\` first (otherwise only when .next/BUILD_ID is missing)
  --json       print the results as JSON on stdout (progress goes to stderr)`,
  options: {
    suite: { type: "string" },
    size: { type: "string" },
    seed: { type: "string" },
    rounds: { type: "string" },
    "event-times": { type: "string" },
    protocol: { type: "string" },
    build: { type: "boolean" },
    json: { type: "boolean" },
  },
  schema: z.object({
    suite: z.enum(["all", ...SUITE_NAMES]).default("all"),
    size: z.coerce.number().int().min(1).max(10_000_000).optional(),
    seed: z.coerce
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .default(1),
    rounds: z.coerce.number().int().min(1).max(50).default(5),
    "event-times": z.enum(EVENT_TIMES_MODES).default("live"),
    protocol: z.enum(INGEST_PROTOCOLS).default("json"),
    build: z.boolean().default(false),
    json: z.boolean().default(false),
  }),
  main: async (args) => {
    const started = performance.now();
    // Lib code in this process (API keys record signed security events) reads the
    // keyring from the environment: sign with a key made for this run only.
    const hmacKeys = generateKeySpec("bench");
    Object.assign(process.env, { LEDGERLINE_HMAC_KEYS: hmacKeys, LEDGERLINE_HMAC_ACTIVE_KEY: "" });
    const names = args.suite === "all" ? SUITE_NAMES : [args.suite];
    const progress = (line: string) => console.error(`[bench] ${line}`);
    const results: SuiteResult[] = [];
    for (const name of names) {
      const suite = SUITES[name]!;
      const suiteStarted = performance.now();
      const result = await suite.run({
        ...args,
        size: args.size ?? suite.defaultSize,
        eventTimes: args["event-times"],
        protocol: args.protocol,
        hmacKeys,
        progress,
      });
      const seconds = (performance.now() - suiteStarted) / 1000;
      results.push({ ...result, json: { ...result.json, seconds } });
      if (!args.json) {
        printResult(result);
        console.log(`(${name} suite took ${seconds.toFixed(1)} s)`);
      }
    }
    const totalSeconds = (performance.now() - started) / 1000;
    if (args.json)
      console.log(JSON.stringify({ results: results.map((r) => r.json), total_seconds: totalSeconds }, null, 2));
    else console.log(`\nbench: ${names.join(", ")} done in ${totalSeconds.toFixed(1)} s`);
  },
});
