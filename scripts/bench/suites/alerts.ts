// alerts: the alert list with --size alerts stored (default 20,000). Alerts
// are generated and stored as detection stores them (documents and their
// index rows, lib/derived/alerts/store-alerts.ts), spread over 60 days, 2,000
// addresses and 500 users, 70 % open, and counted in the rollups as
// detection's would be. One production app (`next start`)
// then serves, over loopback, the signed-in /anomalies page (the default
// view, a filtered one, grouped by IP, page 2) and GET /api/alerts; each
// median of --rounds after a warm-up, with the machine's load alongside.
import { loadavg } from "node:os";
import { MongoClient, type Db } from "mongodb";
import { CLI_ACTOR } from "@/lib/records/audit/security-events";
import { createApiKey } from "@/lib/records/auth/api-keys";
import { FINDING_TYPES, SEVERITIES } from "@/lib/records/anomaly";
import type { Alert, AlertStatus } from "@/lib/derived/alerts/alert-record";
import { storeAlerts } from "@/lib/derived/alerts/store-alerts";
import { ensureIndexes } from "@/lib/platform/db/indexes";
import { rebuildRollups } from "@/lib/derived/rollups/rebuild";
import { generateCheckpointKeySpec } from "@/lib/records/integrity/checkpoint-keys";
import { parseKeyring } from "@/lib/records/integrity/keyring";
import { ingestLogs } from "@/lib/records/logs/ingest";
import { withTemporaryEmbeddedDb } from "../../lib/embedded-db";
import { ensureNextBuild, startNextApp } from "../../lib/next-app";
import { formatMs, formatRate, median, timed, timedResult } from "../measure";
import type { Suite, SuiteOptions, SuiteResult } from "../report";
import { runEnv } from "../run-env";
import { createViewer, generateSessionSecret, signIn } from "../sign-in";

const DB_NAME = "bench_alerts";
const TARGET_MS = 1_000;
const BATCH = 1_000;
const DAY_MS = 86_400_000;
const ROW = /data-alert-id="/g;

/** A small deterministic generator, so every run stores the same alerts for a seed. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

function generateAlerts(size: number, seed: number, now: number): Alert[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  return Array.from({ length: size }, (_, index) => {
    const created = now - Math.floor(next() * 60 * DAY_MS);
    const start = new Date(created - Math.floor(next() * 3_600_000));
    const type = pick(FINDING_TYPES);
    const ip = `198.${18 + Math.floor((index % 2_000) / 250)}.${index % 250}.${Math.floor(next() * 8)}`;
    const user = next() < 0.4 ? `user${Math.floor(next() * 500)}` : undefined;
    const draw = next();
    const status: AlertStatus = draw < 0.7 ? "open" : draw < 0.9 ? "acknowledged" : "resolved";
    const at = new Date(created + 3_600_000);
    return {
      _id: `bench-alert-${seed}-${index}`,
      type,
      severity: pick(SEVERITIES),
      ip,
      ...(user && { user }),
      start,
      end: new Date(start.getTime() + Math.floor(next() * 600_000)),
      count: 1 + Math.floor(next() * 200),
      log_ids: [`bench-log-${index}`],
      explanation: `${type} from ${ip}`,
      subject_key: JSON.stringify([type, ip, user ?? null]),
      status,
      created_at: new Date(created),
      updated_at: status === "open" ? new Date(created) : at,
      history: status === "open" ? [] : [{ status, by: "analyst@bench.example", at }],
    };
  });
}

async function store(db: Db, alerts: Alert[]): Promise<void> {
  for (let offset = 0; offset < alerts.length; offset += BATCH)
    await storeAlerts(db, alerts.slice(offset, offset + BATCH));
}

type Read = { name: string; path: string; auth: "cookie" | "key"; rows: (text: string) => number };
type Measured = {
  name: string;
  path: string;
  rows: number;
  median_ms: number;
  min_ms: number;
  max_ms: number;
  load_1m: number;
};

async function fetchText(url: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { headers });
  return { status: response.status, text: await response.text() };
}

export const alertsSuite: Suite = {
  defaultSize: 20_000,
  run: async ({ size, seed, rounds, build, hmacKeys, progress }: SuiteOptions): Promise<SuiteResult> => {
    await ensureNextBuild(build, progress);
    return withTemporaryEmbeddedDb("ledgerline-bench-alerts-", async (server) => {
      const client = new MongoClient(server.uri);
      try {
        const db = client.db(DB_NAME);
        await ensureIndexes(db);
        // The page shows alerts once some service has sent logs.
        const keyring = parseKeyring(hmacKeys, undefined);
        await ingestLogs(
          db,
          [
            {
              timestamp: new Date().toISOString(),
              ip: "192.0.2.1",
              user: "bench",
              action: "login",
              status: "success",
              source: "bench",
            },
          ],
          { keyring, maxFutureSkewMs: 300_000, ingestedBy: "cli:bench" },
        );
        progress(`alerts: storing ${size.toLocaleString("en-US")} alerts with their index rows`);
        const alerts = generateAlerts(size, seed, Date.now());
        const loadMs = await timed(() => store(db, alerts));
        // The rollups count alerts as detection creates them; these were stored by hand, so count them once,
        // as a deployment's rollups would (the navigation's open count reads them).
        await rebuildRollups(db);
        const fullScanMs = await timed(() => db.collection("alerts").find({}).toArray());

        const { key } = await createApiKey(db, { name: "bench-alerts", scopes: ["read"] }, CLI_ACTOR);
        const viewer = await createViewer(db, "viewer@bench.example");
        const app = await startNextApp({
          ...runEnv({ uri: server.uri, dbName: DB_NAME, hmacKeys, checkpointKeys: generateCheckpointKeySpec("bench") }),
          CHECKPOINT_INTERVAL_SECONDS: "0",
          SESSION_SECRET: generateSessionSecret(),
        });
        try {
          const headers = {
            cookie: { cookie: await signIn(app.url, viewer) },
            key: { authorization: `Bearer ${key}` },
          };
          const first = JSON.parse((await fetchText(`${app.url}/api/alerts`, headers.key)).text) as {
            next_cursor: string;
            total: number;
          };
          const htmlRows = (text: string) => text.match(ROW)?.length ?? 0;
          const jsonRows = (text: string) => {
            const body = JSON.parse(text) as { alerts?: unknown[]; groups?: unknown[] };
            return (body.alerts ?? body.groups ?? []).length;
          };
          const reads: Read[] = [
            { name: "/anomalies (open, most severe first)", path: "/anomalies", auth: "cookie", rows: htmlRows },
            {
              name: "/anomalies filtered (high+, 2 types, a /16)",
              path: "/anomalies?min_severity=high&type=failure_burst&type=password_spraying&subject=198.18.0.0/16",
              auth: "cookie",
              rows: htmlRows,
            },
            {
              name: "/anomalies grouped by IP (all statuses)",
              path: "/anomalies?status=all&group=ip",
              auth: "cookie",
              rows: htmlRows,
            },
            {
              name: "/anomalies page 2",
              path: `/anomalies?cursor=${first.next_cursor}`,
              auth: "cookie",
              rows: htmlRows,
            },
            { name: "GET /api/alerts", path: "/api/alerts", auth: "key", rows: jsonRows },
            { name: "GET /api/alerts?group=ip", path: "/api/alerts?group=ip", auth: "key", rows: jsonRows },
          ];
          const measured: Measured[] = [];
          for (const read of reads) {
            progress(`alerts: ${read.name} x${rounds}`);
            const warmUp = await fetchText(`${app.url}${read.path}`, headers[read.auth]);
            if (warmUp.status !== 200)
              throw new Error(`${read.path} answered ${warmUp.status}: ${warmUp.text.slice(0, 300)}`);
            const times: number[] = [];
            for (let round = 0; round < rounds; round++)
              times.push((await timedResult(() => fetchText(`${app.url}${read.path}`, headers[read.auth]))).ms);
            measured.push({
              name: read.name,
              path: read.path,
              rows: read.rows(warmUp.text),
              median_ms: median(times),
              min_ms: Math.min(...times),
              max_ms: Math.max(...times),
              load_1m: loadavg()[0]!,
            });
          }
          const slowest = Math.max(...measured.map((entry) => entry.median_ms));
          return {
            suite: "alerts",
            json: {
              suite: "alerts",
              size,
              seed,
              rounds,
              load_ms: loadMs,
              full_scan_ms: fullScanMs,
              total_open: first.total,
              target_ms: TARGET_MS,
              reads: measured,
            },
            tables: [
              {
                title: `alerts: ${size.toLocaleString("en-US")} alerts (stored at ${formatRate(size / (loadMs / 1000))} alerts/s; ${first.total.toLocaleString("en-US")} open); median of ${rounds} after a warm-up`,
                header: ["read", "rows", "median", "min", "max", "load (1 min)"],
                rows: measured.map((entry) => [
                  entry.name,
                  String(entry.rows),
                  formatMs(entry.median_ms),
                  formatMs(entry.min_ms),
                  formatMs(entry.max_ms),
                  entry.load_1m.toFixed(2),
                ]),
                rightAligned: [1, 2, 3, 4, 5],
              },
            ],
            notes: [
              `Slowest median ${formatMs(slowest)} (target: every /anomalies render within ${formatMs(TARGET_MS)} at 20,000 alerts).`,
              `For reference, reading every alert document with the driver (what the list did before the index): ${formatMs(fullScanMs)}.`,
            ],
          };
        } finally {
          await app.stop();
        }
      } finally {
        await client.close();
      }
    });
  },
};
