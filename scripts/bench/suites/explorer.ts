// explorer: what the explorer's read paths add on top of the database. One
// production app (`next start`) over one loaded database answers GET /api/logs
// for three pages and GET /api/logs/export for every log; the baseline is the
// same find through the driver from the bench process. On the embedded server
// every page is a full scan and an in-memory sort, so what matters is the
// ratio to the baseline, and the app's memory growth while it streams an export.
import { isDeepStrictEqual } from "node:util";
import { MongoClient, type Db, type Filter } from "mongodb";
import { CLI_ACTOR } from "@/lib/audit/security-events";
import { createApiKey } from "@/lib/auth/api-keys";
import { ensureIndexes } from "@/lib/db/indexes";
import type { GeneratedLogInput } from "@/lib/generators/logs";
import { generateCheckpointKeySpec, parseCheckpointKeys } from "@/lib/integrity/checkpoint-keys";
import { parseKeyring } from "@/lib/integrity/keyring";
import { CSV_BOM, csvHeaderLine } from "@/lib/logs/csv";
import { cursorQuery, encodeCursor, logPageQuery, type LogCursor } from "@/lib/logs/cursor";
import { parseLogFilter } from "@/lib/logs/filters";
import type { StoredLog } from "@/lib/logs/record";
import { ipKeyRange } from "@/lib/net/ip";
import { withTemporaryEmbeddedDb } from "../../lib/embedded-db";
import { DATASET_SPAN, openDataset } from "../dataset";
import { ingestDataset } from "../load";
import { formatMs, formatRate, median, timedResult } from "../measure";
import { ensureNextBuild, startNextApp } from "../next-app";
import { readVmHwmKb, readVmRssKb, resetVmHwm } from "../process-memory";
import type { Suite, SuiteOptions, SuiteResult } from "../report";
import { runEnv } from "../run-env";
import { fetchExport, fetchPage, findPage, iterateExportRows, PAGE_SIZE, type Download } from "./explorer-reads";

const BATCH_SIZE = 1_000;
const CLIENTS = 4;
const PAGE_NUMBER = 50;
const DB_NAME = "bench_explorer";
const TARGET = { pageRatio: 1.3, exportRatio: 0.7, rssGrowthMb: 100 } as const;

type Read = { url: string; apiKey: string; db: Db };
type PageCase = { name: string; params: URLSearchParams; query: Filter<StoredLog>; matching: number };
type PageTimes = { api: number[]; raw: number[] };
type ExportRound = { csvMs: number; rawMs: number; ndjsonMs: number; rssBeforeKb: number | null; rssPeakKb: number | null };
type Exports = { rows: number; csvBytes: number; ndjsonBytes: number; rounds: ExportRound[] };

export const explorerSuite: Suite = {
  defaultSize: 100_000,
  run: async ({ size, seed, rounds, build, hmacKeys, progress }: SuiteOptions): Promise<SuiteResult> => {
    if (size < PAGE_NUMBER * PAGE_SIZE) throw new Error(`explorer needs --size ${PAGE_NUMBER * PAGE_SIZE} or more (page ${PAGE_NUMBER} of ${PAGE_SIZE} logs)`);
    await ensureNextBuild(build, progress);
    const dataset = await openDataset(size, seed, progress);
    return withTemporaryEmbeddedDb("ledgerline-bench-explorer-", async (server) => {
      const client = new MongoClient(server.uri);
      try {
        const db = client.db(DB_NAME);
        await ensureIndexes(db);
        // Made before the load: its audit log (api_key_created) is the one row beyond the dataset.
        const { key } = await createApiKey(db, { name: "bench-explorer", scopes: ["read"] }, CLI_ACTOR);
        progress(`explorer: loading ${size.toLocaleString("en-US")} logs through ingestLogs (batches of ${BATCH_SIZE}, ${CLIENTS} at a time)`);
        const failures = new Map<string, number>();
        const loadMs = await ingestDataset(db, dataset, {
          keyring: parseKeyring(hmacKeys, undefined),
          batchSize: BATCH_SIZE,
          clients: CLIENTS,
          onBatch: (batch) => countFailuresBy24(batch, failures),
          progress: (line) => progress(`explorer: ${line}`),
        });
        const checkpointKeys = generateCheckpointKeySpec("bench");
        const app = await startNextApp({
          ...runEnv({ uri: server.uri, dbName: DB_NAME, hmacKeys, checkpointKeys }),
          // No checkpoint timer: its reads would land in the middle of timed ones.
          CHECKPOINT_INTERVAL_SECONDS: "0",
        });
        try {
          const read = { url: app.url, apiKey: key, db };
          const cases = await pageCases(read, size, failures, progress);
          const pages = await measurePages(read, cases, rounds, progress);
          // The NDJSON export's header line and one line per public key come before its logs.
          const ndjsonPreamble = 1 + parseCheckpointKeys(checkpointKeys, undefined).publicKeys().length;
          const exports = await measureExports(read, app.pid, rounds, ndjsonPreamble, progress);
          return summarize({ size, seed, rounds, loadMs, cases, pages, exports });
        } finally {
          await app.stop();
        }
      } finally {
        await client.close();
      }
    });
  },
};

function countFailuresBy24(batch: GeneratedLogInput[], failures: Map<string, number>): void {
  for (const log of batch) {
    const prefix = /^(\d+\.\d+\.\d+)\.\d+$/.exec(log.ip)?.[1];
    if (log.status === "failed" && prefix) failures.set(`${prefix}.0/24`, (failures.get(`${prefix}.0/24`) ?? 0) + 1);
  }
}

/**
 * The three pages, each with the query the baseline runs, checked to be the
 * very query GET /api/logs builds from its parameters. Page 50's cursor comes
 * from one sorted find of pages 1-49 rather than from walking 49 pages (each a
 * full scan here), and is checked against what a client walking gets: page 49
 * through the API must hold the same logs and hand out the same cursor.
 */
async function pageCases(read: Read, size: number, failures: Map<string, number>, progress: (line: string) => void): Promise<PageCase[]> {
  const { from, to } = DATASET_SPAN;
  const span = { from: from.toISOString(), to: to.toISOString() };
  const spanQuery: Filter<StoredLog> = { time: { $gte: from, $lte: to } };
  const [network, failed] = [...failures].reduce((best, entry) => (entry[1] > best[1] ? entry : best), ["", 0]);
  if (!network) throw new Error("the dataset holds no failed log from an IPv4 address");
  const { low, high } = ipKeyRange(network);

  progress(`explorer: finding page ${PAGE_NUMBER}'s cursor`);
  const before = await findPage(read.db, spanQuery, (PAGE_NUMBER - 1) * PAGE_SIZE);
  const cursorAfter = (rows: number): LogCursor => ({ time: before[rows - 1]!.time, sequence: before[rows - 1]!.sequence, sort: "desc" });
  const cursor = cursorAfter((PAGE_NUMBER - 1) * PAGE_SIZE);
  const previous = await fetchPage(read.url, read.apiKey, new URLSearchParams({ ...span, cursor: encodeCursor(cursorAfter((PAGE_NUMBER - 2) * PAGE_SIZE)) }));
  const expected = before.slice(-PAGE_SIZE).map((log) => log._id);
  if (previous.nextCursor !== encodeCursor(cursor) || !isDeepStrictEqual(previous.ids, expected)) {
    throw new Error(`page ${PAGE_NUMBER - 1} through GET /api/logs does not match the driver's (next cursor ${previous.nextCursor}, expected ${encodeCursor(cursor)})`);
  }

  const cases: PageCase[] = [
    { name: "first page, no filter", params: new URLSearchParams(span), query: spanQuery, matching: size },
    {
      name: `status=failed&ip=${network}`,
      params: new URLSearchParams({ status: "failed", ip: network }),
      query: { status: "failed", ip_key: { $gte: low, $lte: high } },
      matching: failed,
    },
    {
      name: `page ${PAGE_NUMBER} via cursor`,
      params: new URLSearchParams({ ...span, cursor: encodeCursor(cursor) }),
      query: { $and: [spanQuery, cursorQuery(cursor)] },
      matching: size - before.length,
    },
  ];
  for (const { name, params, query } of cases) {
    const served = logPageQuery(parseLogFilter(params, new Date())).query;
    if (!isDeepStrictEqual(served, query)) throw new Error(`${name}: the baseline runs ${JSON.stringify(query)}, GET /api/logs ${JSON.stringify(served)}`);
  }
  return cases;
}

/** Each round times every page both ways, taking turns at going first, and checks both read the same logs. */
async function measurePages(read: Read, cases: PageCase[], rounds: number, progress: (line: string) => void): Promise<PageTimes[]> {
  const times = cases.map((): PageTimes => ({ api: [], raw: [] }));
  for (let round = 1; round <= rounds; round++) {
    progress(`explorer: pages, round ${round}/${rounds}`);
    for (const [index, { name, params, query }] of cases.entries()) {
      const ids = { api: [] as string[], raw: [] as string[] };
      const readers = {
        api: async () => (await fetchPage(read.url, read.apiKey, params)).ids,
        raw: async () => (await findPage(read.db, query)).slice(0, PAGE_SIZE).map((log) => log._id),
      };
      for (const side of round % 2 === 1 ? (["api", "raw"] as const) : (["raw", "api"] as const)) {
        const { ms, result } = await timedResult(readers[side]);
        times[index]![side].push(ms);
        ids[side] = result;
      }
      if (ids.api.length === 0 || !isDeepStrictEqual(ids.api, ids.raw)) {
        throw new Error(`${name}: GET /api/logs returned [${ids.api.slice(0, 3).join(", ")}, ...], the driver [${ids.raw.slice(0, 3).join(", ")}, ...]`);
      }
    }
  }
  return times;
}

/**
 * Each round: the CSV export of every log and the driver iterating the same
 * find, taking turns at going first, with the app's peak RSS reset just before
 * its export; then the verifiable NDJSON export.
 */
async function measureExports(read: Read, pid: number, rounds: number, ndjsonPreamble: number, progress: (line: string) => void): Promise<Exports> {
  const result: Exports = { rows: 0, csvBytes: 0, ndjsonBytes: 0, rounds: [] };
  for (let round = 1; round <= rounds; round++) {
    progress(`explorer: exports, round ${round}/${rounds}`);
    const measured: Partial<ExportRound> = {};
    let csv: Download = { lines: 0, bytes: 0, head: "" };
    let raw = { rows: 0, firstId: undefined as string | undefined };
    for (const side of round % 2 === 1 ? (["csv", "raw"] as const) : (["raw", "csv"] as const)) {
      if (side === "raw") {
        ({ ms: measured.rawMs, result: raw } = await timedResult(() => iterateExportRows(read.db, {})));
        continue;
      }
      const reset = resetVmHwm(pid);
      measured.rssBeforeKb = reset ? readVmRssKb(pid) : null;
      ({ ms: measured.csvMs, result: csv } = await timedResult(() => fetchExport(read.url, read.apiKey, new URLSearchParams())));
      measured.rssPeakKb = reset ? readVmHwmKb(pid) : null;
    }
    // One CRLF-ended line per log after the header (no generated message holds a line break).
    if (csv.lines - 1 !== raw.rows || !csv.head.startsWith(`${CSV_BOM}${csvHeaderLine()}${raw.firstId},`)) {
      throw new Error(`round ${round}: the CSV export has ${csv.lines - 1} rows, the driver read ${raw.rows}; it starts ${JSON.stringify(csv.head.slice(0, 300))}`);
    }
    const { ms: ndjsonMs, result: ndjson } = await timedResult(() => fetchExport(read.url, read.apiKey, new URLSearchParams({ format: "ndjson" })));
    if (ndjson.lines - ndjsonPreamble !== raw.rows) throw new Error(`round ${round}: the NDJSON export has ${ndjson.lines - ndjsonPreamble} logs, expected ${raw.rows}`);
    result.rounds.push({ ...(measured as ExportRound), ndjsonMs });
    Object.assign(result, { rows: raw.rows, csvBytes: csv.bytes, ndjsonBytes: ndjson.bytes });
  }
  return result;
}

function summarize(run: { size: number; seed: number; rounds: number; loadMs: number; cases: PageCase[]; pages: PageTimes[]; exports: Exports }): SuiteResult {
  const { size, seed, rounds, loadMs, cases, pages, exports } = run;
  const mb = (kb: number) => kb / 1024;
  const pageFigures = cases.map((pageCase, index) => {
    const { api, raw } = pages[index]!;
    const ratio = median(api) / median(raw);
    // Each round's two reads are seconds apart, so their ratio shrugs off slow drifts in machine load.
    const roundRatio = median(api.map((ms, round) => ms / raw[round]!));
    return {
      name: pageCase.name,
      params: pageCase.params.toString(),
      matching: pageCase.matching,
      api_ms: api,
      raw_ms: raw,
      median_api_ms: median(api),
      median_raw_ms: median(raw),
      ratio,
      median_round_ratio: roundRatio,
      meets_target: ratio <= TARGET.pageRatio,
    };
  });
  const perSecond = (ms: number) => exports.rows / (ms / 1000);
  const csvMs = median(exports.rounds.map((r) => r.csvMs));
  const rawMs = median(exports.rounds.map((r) => r.rawMs));
  const ndjsonMs = median(exports.rounds.map((r) => r.ndjsonMs));
  const exportRatio = rawMs / csvMs;
  const exportRoundRatio = median(exports.rounds.map((r) => r.rawMs / r.csvMs));
  const growthKb = exports.rounds.flatMap((r) => (r.rssBeforeKb !== null && r.rssPeakKb !== null ? [r.rssPeakKb - r.rssBeforeKb] : []));
  const maxGrowthMb = growthKb.length === exports.rounds.length ? mb(Math.max(...growthKb)) : null;
  const medianGrowthMb = maxGrowthMb === null ? null : mb(median(growthKb));
  const rssText = maxGrowthMb === null || medianGrowthMb === null ? "n/a" : `${medianGrowthMb.toFixed(1)} MB (max ${maxGrowthMb.toFixed(1)} MB)`;
  const minMax = (values: number[]) => `${formatMs(Math.min(...values))}–${formatMs(Math.max(...values))}`;
  const met = (ok: boolean) => (ok ? "met" : "NOT met");
  return {
    suite: "explorer",
    json: {
      suite: "explorer",
      size,
      seed,
      rounds,
      load: { loader: "ingestLogs", ms: loadMs, logs_per_s: size / (loadMs / 1000) },
      page_size: PAGE_SIZE,
      pages: pageFigures,
      target_page_ratio: TARGET.pageRatio,
      export: {
        rows: exports.rows,
        csv_bytes: exports.csvBytes,
        ndjson_bytes: exports.ndjsonBytes,
        rounds: exports.rounds.map((r) => ({
          csv_ms: r.csvMs,
          raw_ms: r.rawMs,
          ndjson_ms: r.ndjsonMs,
          server_rss_before_mb: r.rssBeforeKb === null ? null : mb(r.rssBeforeKb),
          server_rss_peak_mb: r.rssPeakKb === null ? null : mb(r.rssPeakKb),
        })),
        median_csv_rows_per_s: perSecond(csvMs),
        median_raw_rows_per_s: perSecond(rawMs),
        median_ndjson_rows_per_s: perSecond(ndjsonMs),
        ratio: exportRatio,
        median_round_ratio: exportRoundRatio,
        target_ratio: TARGET.exportRatio,
        meets_target: exportRatio >= TARGET.exportRatio,
        median_server_rss_growth_mb: medianGrowthMb,
        max_server_rss_growth_mb: maxGrowthMb,
        target_rss_growth_mb: TARGET.rssGrowthMb,
      },
    },
    tables: [
      {
        title:
          `explorer: ${size.toLocaleString("en-US")} logs (+1 audit log), loaded through ingestLogs at ${formatRate(size / (loadMs / 1000))} logs/s ` +
          `(${formatMs(loadMs)}); one page of ${PAGE_SIZE}: GET /api/logs on \`next start\` over loopback vs the same find through the driver, median of ${rounds} rounds`,
        header: ["page", "matching", "API", "driver", "ratio", "rounds' ratio", "API min–max", "driver min–max"],
        rows: pageFigures.map((p, index) => [
          p.name,
          p.matching.toLocaleString("en-US"),
          formatMs(p.median_api_ms),
          formatMs(p.median_raw_ms),
          p.ratio.toFixed(2),
          p.median_round_ratio.toFixed(2),
          minMax(pages[index]!.api),
          minMax(pages[index]!.raw),
        ]),
        rightAligned: [1, 2, 3, 4, 5, 6, 7],
      },
      {
        title: `explorer: export of all ${exports.rows.toLocaleString("en-US")} logs, median of ${rounds} rounds`,
        header: ["read", "time", "rows/s", "vs driver", "rounds' ratio", "app RSS growth"],
        rows: [
          ["GET /api/logs/export (CSV)", formatMs(csvMs), formatRate(perSecond(csvMs)), exportRatio.toFixed(2), exportRoundRatio.toFixed(2), rssText],
          ["driver: the same find, iterated", formatMs(rawMs), formatRate(perSecond(rawMs)), "", "", ""],
          ["GET /api/logs/export?format=ndjson", formatMs(ndjsonMs), formatRate(perSecond(ndjsonMs)), (rawMs / ndjsonMs).toFixed(2), "", ""],
        ],
        rightAligned: [1, 2, 3, 4, 5],
      },
    ],
    notes: [
      `ratio: of the medians; rounds' ratio: the median of each round's ratio, its two reads back to back`,
      `pages: ratio of medians, API/driver (target <= ${TARGET.pageRatio}): ${pageFigures.map((p) => `${p.name} ${met(p.meets_target)}`).join("; ")}`,
      `export: CSV rows/s over the driver's (target >= ${TARGET.exportRatio}): ${met(exportRatio >= TARGET.exportRatio)}; ` +
        `the NDJSON export reads every field in sequence order, so its ratio is for information`,
      `app RSS growth: VmHWM of the \`next start\` process after the CSV export minus its VmRSS just before, the peak reset then ` +
        `(/proc/<pid>/clear_refs); target < ${TARGET.rssGrowthMb} MB at 1,000,000 logs` +
        (maxGrowthMb === null ? "" : `: ${met(maxGrowthMb < TARGET.rssGrowthMb)} at this size`),
      `CSV ${(exports.csvBytes / 1024 / 1024).toFixed(1)} MB, NDJSON ${(exports.ndjsonBytes / 1024 / 1024).toFixed(1)} MB`,
    ],
  };
}
