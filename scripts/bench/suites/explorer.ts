// explorer: how long the explorer's reads take, in absolute time against
// TARGET_MS. Logs are loaded in order with a checkpoint every
// CHECKPOINT_EVERY logs, so the search layout the pages read is derived as in
// service; one production app (`next start`) then answers, over loopback,
// first pages of GET /api/logs, the signed-in /logs page and the exports. The
// windows end at the dataset's end, sent as from/to. What was timed is checked
// once, untimed, against a brute-force filter over the logs collection.
import { isDeepStrictEqual } from "node:util";
import { MongoClient, type Db } from "mongodb";
import { CLI_ACTOR } from "@/lib/records/audit/security-events";
import { createApiKey } from "@/lib/records/auth/api-keys";
import { DAY_MS } from "@/lib/features/dashboard/window";
import { ensureIndexes } from "@/lib/platform/db/indexes";
import { generateCheckpointKeySpec, parseCheckpointKeys } from "@/lib/records/integrity/checkpoint-keys";
import { parseKeyring } from "@/lib/records/integrity/keyring";
import { filterToSearchParams, type ExportFormat, type LogCriteria } from "@/lib/records/logs/filters";
import { searchParts } from "@/lib/derived/search/layout";
import { readWholeLayout } from "@/lib/derived/search/read";
import { withTemporaryEmbeddedDb } from "../../lib/embedded-db";
import { DATASET_END, openDataset, type Dataset } from "../dataset";
import { loadWithCheckpoints } from "../load";
import { formatMs, formatRate, median, timedResult } from "../measure";
import { ensureNextBuild, startNextApp } from "../../lib/next-app";
import type { Suite, SuiteOptions, SuiteResult } from "../report";
import { runEnv } from "../run-env";
import { createViewer, generateSessionSecret, signIn } from "../sign-in";
import {
  choose,
  countMatching,
  countWeek,
  LAST_DAY,
  LAST_WEEK,
  newWeekCounts,
  NOBODY,
  type Choice,
  type WeekCounts,
} from "./explorer-cases";
import {
  bruteForceIds,
  fetchAnomalies,
  fetchCsvExport,
  fetchLogsHtml,
  fetchNdjsonExport,
  fetchPage,
  fetchXlsxExport,
  PAGE_SIZE,
  type Received,
} from "./explorer-reads";

const BATCH_SIZE = 1_000;
const CHECKPOINT_EVERY = 10_000;
const DB_NAME = "bench_explorer";
/** Sizes up to this are judged by the targets at 100,000 logs; larger ones by those at 1,000,000. */
const SMALL_SIZE = 100_000;
/** Above this what reads the whole logs collection is left out: the brute-force check's finds, and the NDJSON export (here every log, see summarize). */
const MAX_SIZE_FOR_FULL_READS = 200_000;
const TARGET_MS = {
  day: [150, 300],
  failedFromNetwork: [400, 700],
  word: [800, 1_500],
  nobody: [1_000, 3_000],
  render: [500, 1_000],
  anomalies: [1_000, 2_000],
} as const;
const EXPORT_TARGET = { firstByteMs: 1_000, rowsPerS: 5_000 } as const;

type Target = { ms?: number; firstByteMs?: number; rowsPerS?: number };
type App = { url: string; apiKey: string; cookie: string };
type TimedRead = {
  name: string;
  params: URLSearchParams;
  criteria: LogCriteria;
  matching: number;
  /** Rows a right answer holds (undefined: not known beforehand, only compared across rounds). */
  rows?: number;
  /** Its first ids checked against the brute-force answer (0: none). */
  checkedIds: number;
  target: Target;
  /** Timed once, without a warm-up: it reads the whole collection. */
  once?: true;
  read: () => Promise<Received>;
};
type Measured = { read: TimedRead; warmUp: Received; rounds: { ms: number; received: Received }[]; problems: string[] };

export const explorerSuite: Suite = {
  defaultSize: 100_000,
  run: async ({ size, seed, rounds, build, hmacKeys, progress }: SuiteOptions): Promise<SuiteResult> => {
    await ensureNextBuild(build, progress);
    const dataset = await openDataset(size, seed, progress);
    return withTemporaryEmbeddedDb("ledgerline-bench-explorer-", async (server) => {
      const client = new MongoClient(server.uri);
      try {
        const db = client.db(DB_NAME);
        await ensureIndexes(db);
        const checkpointKeys = generateCheckpointKeySpec("bench");
        const loaded = await load(db, dataset, { hmacKeys, checkpointKeys, progress });
        const choice = choose(loaded.week);
        progress(`explorer: counting the logs each read matches (${choice.network}, q=${choice.word})`);
        const criteria = criteriaFor(choice);
        const counts = await countMatching(dataset, criteria);
        if (counts.nobody !== 0) throw new Error(`user=${NOBODY} matches ${counts.nobody} logs of the dataset`);

        // Made after the load, which checks each checkpoint's count: their audit logs wait in the fresh tail, as in
        // service.
        const { key } = await createApiKey(db, { name: "bench-explorer", scopes: ["read"] }, CLI_ACTOR);
        const viewer = await createViewer(db, "viewer@bench.example");
        const app = await startNextApp({
          ...runEnv({ uri: server.uri, dbName: DB_NAME, hmacKeys, checkpointKeys }),
          // No checkpoint timer: its reads would land in the middle of timed ones.
          CHECKPOINT_INTERVAL_SECONDS: "0",
          SESSION_SECRET: generateSessionSecret(),
        });
        try {
          const reads = timedReads(
            { url: app.url, apiKey: key, cookie: await signIn(app.url, viewer) },
            size,
            criteria,
            counts,
          );
          const measured = await measure(
            reads.filter((read) => !read.once),
            rounds,
            progress,
          );
          for (const read of reads.filter((read) => read.once)) measured.push(await measureOnce(read, progress));
          const checked = size <= MAX_SIZE_FOR_FULL_READS;
          if (checked)
            progress("explorer: checking what was read against a brute-force filter over the logs collection");
          for (const entry of measured) entry.problems.push(...(await problemsOf(db, entry, checked)));
          return summarize({ size, seed, rounds, loaded, choice, counts, measured, checked });
        } finally {
          await app.stop();
        }
      } finally {
        await client.close();
      }
    });
  },
};

type Loaded = { ms: number; checkpoints: number; parts: number; week: WeekCounts };

/** Loads the dataset, counting its last week as it goes; throws unless the search layout came out whole. */
async function load(
  db: Db,
  dataset: Dataset,
  {
    hmacKeys,
    checkpointKeys,
    progress,
  }: { hmacKeys: string; checkpointKeys: string; progress: (line: string) => void },
): Promise<Loaded> {
  progress(
    `explorer: loading ${dataset.size.toLocaleString("en-US")} logs through ingestLogs, a checkpoint every ${CHECKPOINT_EVERY.toLocaleString("en-US")} logs`,
  );
  const week = newWeekCounts();
  const { ms, result: checkpoints } = await timedResult(() =>
    loadWithCheckpoints(db, dataset, {
      keyring: parseKeyring(hmacKeys, undefined),
      signer: parseCheckpointKeys(checkpointKeys, undefined),
      batchSize: BATCH_SIZE,
      checkpointEvery: CHECKPOINT_EVERY,
      label: "explorer",
      onBatch: (batch) => countWeek(week, batch),
      progress,
    }),
  );
  if (!(await readWholeLayout(db)))
    throw new Error(
      "the search layout is not whole after the load: the explorer's pages would scan the logs collection",
    );
  return { ms, checkpoints, parts: await searchParts(db).countDocuments(), week };
}

function criteriaFor({ network, word }: Choice) {
  return {
    day: { ...LAST_DAY },
    failedFromNetwork: { ...LAST_WEEK, status: ["failed"], ip: [network] },
    word: { ...LAST_WEEK, q: word },
    nobody: { user: [NOBODY] },
    failedWeek: { ...LAST_WEEK, status: ["failed"] },
  } satisfies Record<string, LogCriteria>;
}

type Criteria = ReturnType<typeof criteriaFor>;

function timedReads(app: App, size: number, criteria: Criteria, counts: Record<keyof Criteria, number>): TimedRead[] {
  const targetMs = (key: keyof typeof TARGET_MS) => TARGET_MS[key][size <= SMALL_SIZE ? 0 : 1];
  const page = (
    name: string,
    key: keyof Criteria,
    ms: number,
    fetchRead: typeof fetchPage,
    credential: string,
  ): TimedRead => {
    const params = paramsOf(criteria[key]);
    const rows = Math.min(PAGE_SIZE, counts[key]);
    return {
      name,
      params,
      criteria: criteria[key],
      matching: counts[key],
      rows,
      checkedIds: PAGE_SIZE,
      target: { ms },
      read: () => fetchRead(app.url, credential, params),
    };
  };
  const exported = (format: ExportFormat, target: Target): TimedRead => {
    const params = paramsOf(criteria.failedWeek, format);
    const fetchExport = { csv: fetchCsvExport, xlsx: fetchXlsxExport, ndjson: fetchNdjsonExport }[format];
    const rows = counts.failedWeek;
    // The CSV's and the workbook's rows are newest first, as a page's; the NDJSON export's in sequence order.
    const checkedIds = format === "ndjson" ? 0 : 1;
    return {
      name: `GET /api/logs/export (${format.toUpperCase()})`,
      params,
      criteria: criteria.failedWeek,
      matching: rows,
      rows,
      checkedIds,
      target,
      read: () => fetchExport(app.url, app.apiKey, params),
    };
  };
  // On-demand detection over the last 24 h, judged against the 14 days before.
  const anomalies = (): TimedRead => {
    const params = new URLSearchParams({ from: criteria.day.from!.toISOString(), to: criteria.day.to!.toISOString() });
    return {
      name: "GET /api/anomalies",
      params,
      criteria: criteria.day,
      matching: counts.day,
      checkedIds: 0,
      target: { ms: targetMs("anomalies") },
      read: () => fetchAnomalies(app.url, app.apiKey, params),
    };
  };
  const reads = [
    page("GET /api/logs", "day", targetMs("day"), fetchPage, app.apiKey),
    page("GET /api/logs", "failedFromNetwork", targetMs("failedFromNetwork"), fetchPage, app.apiKey),
    page("GET /api/logs", "word", targetMs("word"), fetchPage, app.apiKey),
    page("GET /api/logs", "nobody", targetMs("nobody"), fetchPage, app.apiKey),
    page("GET /logs (signed-in HTML)", "day", targetMs("render"), fetchLogsHtml, app.cookie),
    exported("csv", EXPORT_TARGET),
    exported("xlsx", {}),
    anomalies(),
  ];
  return size <= MAX_SIZE_FOR_FULL_READS ? [...reads, { ...exported("ndjson", {}), once: true }] : reads;
}

function paramsOf(criteria: LogCriteria, format: ExportFormat = "csv"): URLSearchParams {
  return filterToSearchParams({ ...criteria, limit: PAGE_SIZE, sort: "desc", format });
}

/** Every read once untimed (the warm-up, whose answer is checked), then `rounds` rounds of all of them in turn. */
async function measure(reads: TimedRead[], rounds: number, progress: (line: string) => void): Promise<Measured[]> {
  progress("explorer: warm-up");
  const measured: Measured[] = [];
  for (const read of reads) measured.push({ read, warmUp: await read.read(), rounds: [], problems: [] });
  for (let round = 1; round <= rounds; round++) {
    progress(`explorer: round ${round}/${rounds}`);
    for (const entry of measured) {
      const { ms, result } = await timedResult(entry.read.read);
      entry.rounds.push({ ms, received: result });
    }
  }
  return measured;
}

async function measureOnce(read: TimedRead, progress: (line: string) => void): Promise<Measured> {
  progress(`explorer: ${read.name}, once`);
  const { ms, result } = await timedResult(read.read);
  return { read, warmUp: result, rounds: [{ ms, received: result }], problems: [] };
}

/** What is wrong with what a read returned: its rows, its first ids against the brute-force answer, and rounds that read other logs than the warm-up. */
async function problemsOf(db: Db, { read, warmUp, rounds }: Measured, bruteForce: boolean): Promise<string[]> {
  const problems: string[] = [];
  if (read.rows !== undefined && warmUp.rows !== read.rows) problems.push(`${warmUp.rows} rows, expected ${read.rows}`);
  if (bruteForce && read.checkedIds > 0) {
    const expected = await bruteForceIds(db, read.criteria, read.checkedIds);
    const got = warmUp.ids.slice(0, read.checkedIds);
    if (!isDeepStrictEqual(got, expected)) {
      const at = expected.findIndex((id, index) => got[index] !== id);
      problems.push(
        `${got.length} ids, a brute-force filter gives ${expected.length}; first difference at row ${at + 1}: ${got[at] ?? "none"} instead of ${expected[at] ?? "none"}`,
      );
    }
  }
  rounds.forEach(({ received }, index) => {
    if (received.rows !== warmUp.rows || !isDeepStrictEqual(received.ids, warmUp.ids))
      problems.push(`round ${index + 1} read other logs than the warm-up`);
  });
  return problems;
}

type Run = {
  size: number;
  seed: number;
  rounds: number;
  loaded: Loaded;
  choice: Choice;
  counts: Record<keyof Criteria, number>;
  measured: Measured[];
  checked: boolean;
};

function summarize(run: Run): SuiteResult {
  const { size, seed, rounds, loaded, choice, counts, measured, checked } = run;
  const { week } = loaded;
  const figures = measured.map(({ read, warmUp, rounds: timings, problems }) => {
    const rows = read.rows ?? warmUp.rows;
    const ms = timings.map((timing) => timing.ms);
    const firstByteMs = timings.map((timing) => timing.received.firstByteMs);
    const firstRowMs = timings.map((timing) => timing.received.firstRowMs);
    const medianMs = median(ms);
    const rowsPerS = rows / (medianMs / 1000);
    return {
      name: read.name,
      params: read.params.toString(),
      matching: read.matching,
      rows,
      rounds: ms.length,
      ms,
      median_ms: medianMs,
      min_ms: Math.min(...ms),
      max_ms: Math.max(...ms),
      first_byte_ms: firstByteMs,
      median_first_byte_ms: median(firstByteMs),
      first_row_ms: firstRowMs,
      median_first_row_ms: median(firstRowMs),
      bytes: timings[0]!.received.bytes,
      rows_per_s: rowsPerS,
      target: read.target,
      verdict: verdict(read.target, medianMs, median(firstByteMs), rowsPerS),
      problems,
    };
  });
  const isExport = (name: string) => name.includes("/export");
  const wordShare = counts.word / week.logs;
  const targetColumn = size <= SMALL_SIZE ? "100,000" : "1,000,000";
  const problems = figures.flatMap((f) =>
    f.problems.map((problem) => `${f.name}?${decodeURIComponent(f.params)}: ${problem}`),
  );
  return {
    suite: "explorer",
    json: {
      suite: "explorer",
      size,
      seed,
      rounds,
      dataset_end: DATASET_END.toISOString(),
      load: {
        loader: "loadWithCheckpoints",
        ms: loaded.ms,
        logs_per_s: size / (loaded.ms / 1000),
        checkpoints: loaded.checkpoints,
        search_parts: loaded.parts,
      },
      network: choice.network,
      word: { q: choice.word, matching: counts.word, last_week_logs: week.logs, share: wordShare },
      targets_for: targetColumn,
      brute_force_checked: checked,
      reads: figures,
    },
    tables: [
      {
        title:
          `explorer: ${size.toLocaleString("en-US")} logs (loaded at ${formatRate(size / (loaded.ms / 1000))} logs/s, ${loaded.checkpoints} checkpoints, ${loaded.parts.toLocaleString("en-US")} search parts); ` +
          `\`next start\` over loopback, median of ${rounds} rounds after one warm-up; targets for ${targetColumn} logs`,
        header: [
          "read",
          "filter",
          "matching",
          "median",
          "min",
          "max",
          "first byte",
          "first row",
          "rows/s",
          "target",
          "verdict",
          "check",
        ],
        rows: figures.map((f, index) => [
          f.name,
          describe(measured[index]!.read.criteria),
          f.matching.toLocaleString("en-US"),
          formatMs(f.median_ms),
          formatMs(f.min_ms),
          formatMs(f.max_ms),
          formatMs(f.median_first_byte_ms),
          Number.isNaN(f.median_first_row_ms) ? "" : formatMs(f.median_first_row_ms),
          isExport(f.name) ? formatRate(f.rows_per_s) : "",
          targetText(f.target),
          f.verdict,
          f.problems.length > 0 ? "WRONG" : checked ? "ok" : "rows ok",
        ]),
        rightAligned: [2, 3, 4, 5, 6, 7, 8],
      },
    ],
    notes: [
      `windows: the last 24 h and 7 d before the dataset's end (${DATASET_END.toISOString()}), sent as from/to; first page: ${PAGE_SIZE} logs, newest first`,
      `ip=${choice.network}: the /24 with the most failed logs in the last 7 d; q=${choice.word}: ${counts.word.toLocaleString("en-US")} of the last 7 d's ` +
        `${week.logs.toLocaleString("en-US")} logs (${(wordShare * 100).toFixed(2)}%), the message word nearest 1%`,
      `first byte: of the body; first row: when the first log's row arrived; the /logs page streams its rows and then its match count (counted in the search layout) after the shell, and is timed to its last byte`,
      `exports: the CSV's first byte is its header, sent before the find runs; rows/s: the matching rows over the whole download`,
      size <= MAX_SIZE_FOR_FULL_READS
        ? `NDJSON export: for reference, timed once; it also carries every log of each checkpoint range it touches as an omitted line: ` +
          `all ${size.toLocaleString("en-US")} here, since the dataset's checkpoints were all written after the window's start`
        : `NDJSON export: left out above ${MAX_SIZE_FOR_FULL_READS.toLocaleString("en-US")} logs (it streams every log here)`,
      checked
        ? `check: each page's ${PAGE_SIZE} log ids (the HTML's rows too) and the CSV's first row against a brute-force filter over the logs collection (untimed), and every round against the warm-up`
        : `check: brute-force filter left out above ${MAX_SIZE_FOR_FULL_READS.toLocaleString("en-US")} logs (a full scan per read); only the rows each read returned against the dataset's count, and every round against the warm-up`,
      ...(problems.length > 0 ? [`WRONG answers:`, ...problems.map((problem) => `  ${problem}`)] : []),
    ],
  };
}

function verdict(target: Target, ms: number, firstByteMs: number, rowsPerS: number): string {
  if (Object.keys(target).length === 0) return "for reference";
  const met = [
    target.ms === undefined || ms <= target.ms,
    target.firstByteMs === undefined || firstByteMs <= target.firstByteMs,
    target.rowsPerS === undefined || rowsPerS >= target.rowsPerS,
  ].every(Boolean);
  return met ? "met" : "NOT met";
}

function describe({ from, to, ...rest }: LogCriteria): string {
  const window =
    from && to
      ? `last ${to.getTime() - from.getTime() === DAY_MS ? "24 h" : `${(to.getTime() - from.getTime()) / DAY_MS} d`}`
      : "all time";
  return [window, ...Object.entries(rest).map(([name, value]) => `${name}=${String(value)}`)].join(", ");
}

function targetText(target: Target): string {
  return [
    target.ms !== undefined && `<= ${formatMs(target.ms)}`,
    target.firstByteMs !== undefined && `first byte <= ${formatMs(target.firstByteMs)}`,
    target.rowsPerS !== undefined && `>= ${formatRate(target.rowsPerS)} rows/s`,
  ]
    .filter(Boolean)
    .join(", ");
}
