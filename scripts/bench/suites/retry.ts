// retry: what a client's retry costs once its logs are stored. Logs are loaded
// through ingestLogs in process; then the first, a middle and the last stored
// batch are sent again, as they were, to POST /api/logs on the production app
// (every log a duplicate: 200, nothing stored), and the last once more with one
// message changed (409, a conflict); then a file of 10,000 new logs is
// imported with `npm run import` as its own process, and imported again when
// every row is already there. Targets: a re-sent batch of
// 500 answered within 1 s at 100,000 and at 1,000,000 stored logs, and a
// re-import at least as fast as the first import.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { MongoClient, type Db } from "mongodb";
import { ensureIndexes } from "@/lib/platform/db/indexes";
import { generateLogInputs, type GeneratedLogInput } from "@/lib/features/generators/logs";
import type { ImportReport } from "@/lib/features/import/import-report";
import { generateCheckpointKeySpec } from "@/lib/records/integrity/checkpoint-keys";
import { parseKeyring } from "@/lib/records/integrity/keyring";
import type { IngestResult } from "@/lib/records/logs/ingest";
import { withTemporaryEmbeddedDb } from "../../lib/embedded-db";
import { measureCommand, rssMethod, type Measured } from "../command";
import { DATASET_SPAN, openDataset } from "../dataset";
import { postLogs, startIngestApp, type IngestApp } from "../ingest-app";
import { ingestDataset } from "../load";
import { formatMs, formatRate, median, timeRuns } from "../measure";
import { ensureNextBuild } from "../../lib/next-app";
import type { Suite, SuiteOptions, SuiteResult } from "../report";
import { runEnv } from "../run-env";

const BATCH_SIZE = 500;
const CLIENTS = 4;
const DB_NAME = "bench_retry";
const IMPORT_ROWS = 10_000;
const IMPORT_COMMAND = ["npx", "tsx", path.join("scripts", "import.ts")];
const OUTPUT_TAIL_CHARS = 4_000;
const TARGET = { resendMs: 1_000, reimportRatio: 1 } as const;

type Stored = { name: string; position: number; inputs: GeneratedLogInput[] };
type Resend = { name: string; position: number; logs: number; answer: string; times: number[] };
type Expected = { answer: string; matches: (status: number, body: Partial<IngestResult>) => boolean };
type ImportRun = { wallMs: number; report: ImportReport };
type Resends = { duplicates: Resend[]; conflict: Resend };
type Imports = { floorMs: number; first: ImportRun; again: ImportRun };

const CONFLICT: Expected = { answer: "409 conflict", matches: (status) => status === 409 };

export const retrySuite: Suite = {
  defaultSize: 100_000,
  run: async ({ size, seed, rounds, build, hmacKeys, progress }: SuiteOptions): Promise<SuiteResult> => {
    if (size < 3 * BATCH_SIZE)
      throw new Error(
        `retry needs --size ${3 * BATCH_SIZE} or more (a first, a middle and a last batch of ${BATCH_SIZE})`,
      );
    await ensureNextBuild(build, progress);
    const dataset = await openDataset(size, seed, progress);
    return withTemporaryEmbeddedDb("ledgerline-bench-retry-", async (server) => {
      const client = new MongoClient(server.uri);
      try {
        const db = client.db(DB_NAME);
        await ensureIndexes(db);
        progress(
          `retry: loading ${size.toLocaleString("en-US")} logs through ingestLogs (batches of ${BATCH_SIZE}, ${CLIENTS} at a time)`,
        );
        const stored = rememberedBatches(size);
        const loadMs = await ingestDataset(db, dataset, {
          keyring: parseKeyring(hmacKeys, undefined),
          batchSize: BATCH_SIZE,
          clients: CLIENTS,
          onBatch: (batch, position) => {
            for (const remembered of stored) if (remembered.position === position) remembered.inputs = batch;
          },
          progress: (line) => progress(`retry: ${line}`),
        });
        const env = runEnv({
          uri: server.uri,
          dbName: DB_NAME,
          hmacKeys,
          checkpointKeys: generateCheckpointKeySpec("bench"),
        });
        const resends = await measureResends(db, env, stored, rounds, progress);
        const imports = await measureImports(env, seed, progress);
        return summarize({ size, seed, rounds, loadMs, resends, imports });
      } finally {
        await client.close();
      }
    });
  },
};

/** The first, a middle and the last batch of the dataset; their inputs are filled in as the load stores them. */
function rememberedBatches(size: number): Stored[] {
  const last = Math.ceil(size / BATCH_SIZE) - 1;
  return [
    { name: "first", position: 0, inputs: [] },
    { name: "middle", position: Math.floor(last / 2), inputs: [] },
    { name: "last", position: last, inputs: [] },
  ];
}

/** Each stored batch sent again `rounds` times, then the last with one message changed. */
async function measureResends(
  db: Db,
  env: Record<string, string>,
  stored: Stored[],
  rounds: number,
  progress: (line: string) => void,
): Promise<Resends> {
  const last = stored.at(-1)!;
  // No checkpoint timer: its first checkpoint reads every loaded log, in the middle of timed requests.
  const app = await startIngestApp(db, { maxItems: BATCH_SIZE, env: { ...env, CHECKPOINT_INTERVAL_SECONDS: "0" } });
  try {
    // Untimed: the app's first request loads the route and warms its JIT.
    await send(app, JSON.stringify(stored[0]!.inputs), duplicates(stored[0]!.inputs.length));
    const resends: Resend[] = [];
    for (const batch of stored) {
      progress(`retry: re-sending the ${batch.name} batch (${batch.position + 1} of ${last.position + 1}) x${rounds}`);
      resends.push(await timeSends(app, batch, duplicates(batch.inputs.length), rounds));
    }
    progress(`retry: re-sending the last batch with one message changed x${rounds}`);
    const conflict = await timeSends(
      app,
      { ...last, name: "last, one message changed", inputs: withChangedMessage(last.inputs) },
      CONFLICT,
      rounds,
    );
    return { duplicates: resends, conflict };
  } finally {
    await app.stop();
  }
}

function duplicates(count: number): Expected {
  return {
    answer: `200, ${count} duplicates`,
    matches: (status, body) => status === 200 && body.accepted === 0 && body.duplicates === count,
  };
}

/** The batch with its first log's message changed (or given one): the same log_ids, other content. */
function withChangedMessage([first, ...rest]: GeneratedLogInput[]): GeneratedLogInput[] {
  return [{ ...first!, message: `${first!.message ?? "no message"} (changed)` }, ...rest];
}

async function timeSends(
  app: IngestApp,
  { name, position, inputs }: Stored,
  expected: Expected,
  rounds: number,
): Promise<Resend> {
  // Serialized once, before the clock starts.
  const body = JSON.stringify(inputs);
  const times = await timeRuns(rounds, () => send(app, body, expected));
  return { name, position, logs: inputs.length, answer: expected.answer, times };
}

/** POSTs a batch (`body`: its inputs as JSON) and reads the whole answer; throws unless it is the expected one. */
async function send(app: IngestApp, body: string, expected: Expected): Promise<void> {
  const response = await postLogs(app.url, app.apiKey, body);
  const answer = (await response.json()) as Partial<IngestResult>;
  if (!expected.matches(response.status, answer)) {
    throw new Error(
      `POST /api/logs answered ${response.status}, expected ${expected.answer}: ${JSON.stringify(answer).slice(0, 500)}`,
    );
  }
}

/** `npm run import` of a file of IMPORT_ROWS new logs, then of the same file again; with the command's start-up floor (--help). */
async function measureImports(
  env: Record<string, string>,
  seed: number,
  progress: (line: string) => void,
): Promise<Imports> {
  const dir = mkdtempSync(path.join(tmpdir(), "ledgerline-bench-import-"));
  try {
    const file = path.join(dir, "logs.ndjson");
    writeFileSync(file, importFileText(seed));
    const childEnv = { ...process.env, ...env };
    progress(`retry: start-up floor (${[...IMPORT_COMMAND, "--help"].join(" ")})`);
    const floor = await measureCommand([...IMPORT_COMMAND, "--help"], childEnv, rssMethod());
    if (floor.exitCode !== 0)
      throw new Error(`${[...IMPORT_COMMAND, "--help"].join(" ")} exited ${floor.exitCode}\n${floor.stderr}`);
    const run = async (label: string, imported: number) => {
      progress(`retry: ${label}: ${[...IMPORT_COMMAND, file, "--json"].join(" ")}`);
      const measured = await measureCommand([...IMPORT_COMMAND, file, "--json"], childEnv, rssMethod());
      return { wallMs: measured.wallMs, report: checkedReport(measured, label, imported) };
    };
    const first = await run("first import", IMPORT_ROWS);
    const again = await run("import again", 0);
    return { floorMs: floor.wallMs, first, again };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The generator's log_ids are evt-<seed>-<index>, so another seed's are never the dataset's
// (and the first import's check, every row imported, would catch it).
function importFileText(datasetSeed: number): string {
  const logs = generateLogInputs({
    count: IMPORT_ROWS,
    seed: datasetSeed + 1,
    start: DATASET_SPAN.from,
    end: DATASET_SPAN.to,
  });
  return [...logs].map((log) => `${JSON.stringify(log)}\n`).join("");
}

/** The --json report, checked: every row read, `imported` of them stored now and the rest already there. */
function checkedReport(measured: Measured, label: string, imported: number): ImportReport {
  let report: ImportReport;
  try {
    report = JSON.parse(measured.stdout) as ImportReport;
  } catch {
    throw new Error(
      `${label}: import exited ${measured.exitCode} without a JSON report\n--- stdout ---\n${measured.stdout.slice(-OUTPUT_TAIL_CHARS)}\n--- stderr ---\n${measured.stderr}`,
    );
  }
  const expected = { rows: IMPORT_ROWS, imported, already_there: IMPORT_ROWS - imported, refused: 0 };
  const actual = {
    rows: report.rows,
    imported: report.imported,
    already_there: report.already_there,
    refused: report.refused,
  };
  if (measured.exitCode !== 0 || JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(
      `${label}: import exited ${measured.exitCode} with ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`,
    );
  }
  return report;
}

function summarize(run: {
  size: number;
  seed: number;
  rounds: number;
  loadMs: number;
  resends: Resends;
  imports: Imports;
}): SuiteResult {
  const { size, seed, rounds, loadMs, resends, imports } = run;
  const batches = Math.ceil(size / BATCH_SIZE);
  const met = (ok: boolean) => (ok ? "met" : "NOT met");
  const figures = (r: Resend) => ({
    batch: r.name,
    position: r.position,
    logs: r.logs,
    answer: r.answer,
    times_ms: r.times,
    median_ms: median(r.times),
    min_ms: Math.min(...r.times),
    max_ms: Math.max(...r.times),
  });
  const duplicateSends = resends.duplicates.map(figures);
  const conflict = figures(resends.conflict);
  const rate = (ms: number) => IMPORT_ROWS / (ms / 1000);
  const importFigures = ({ wallMs, report }: ImportRun) => ({
    wall_ms: wallMs,
    rows_per_s: rate(wallMs),
    imported: report.imported,
    already_there: report.already_there,
  });
  const ratio = imports.first.wallMs / imports.again.wallMs;
  const loadRate = size / (loadMs / 1000);
  return {
    suite: "retry",
    json: {
      suite: "retry",
      size,
      seed,
      rounds,
      batch_size: BATCH_SIZE,
      load: { loader: "ingestLogs", ms: loadMs, logs_per_s: loadRate },
      resends: duplicateSends.map((s) => ({ ...s, meets_target: s.median_ms <= TARGET.resendMs })),
      conflict,
      target_resend_ms: TARGET.resendMs,
      import: {
        rows: IMPORT_ROWS,
        command: [...IMPORT_COMMAND, "FILE", "--json"].join(" "),
        startup_floor_ms: imports.floorMs,
        first: importFigures(imports.first),
        again: importFigures(imports.again),
        ratio,
        target_ratio: TARGET.reimportRatio,
        meets_target: ratio >= TARGET.reimportRatio,
      },
    },
    tables: [
      {
        title:
          `retry: ${size.toLocaleString("en-US")} logs, loaded through ingestLogs at ${formatRate(loadRate)} logs/s (${formatMs(loadMs)}); ` +
          `stored batches sent again to POST /api/logs on \`next start\`, time to the whole answer, ${rounds} rounds`,
        header: ["batch", "position", "logs", "answer", "median", "min", "max"],
        rows: [...duplicateSends, conflict].map((s) => [
          s.batch,
          `${s.position + 1} of ${batches}`,
          String(s.logs),
          s.answer,
          formatMs(s.median_ms),
          formatMs(s.min_ms),
          formatMs(s.max_ms),
        ]),
        rightAligned: [1, 2, 4, 5, 6],
      },
      {
        title: `retry: \`${[...IMPORT_COMMAND, "FILE", "--json"].join(" ")}\` of ${IMPORT_ROWS.toLocaleString("en-US")} new logs (NDJSON), then of the same file again`,
        header: ["import", "imported", "already there", "wall", "rows/s"],
        rows: [
          [
            "first",
            imports.first.report.imported.toLocaleString("en-US"),
            imports.first.report.already_there.toLocaleString("en-US"),
            formatMs(imports.first.wallMs),
            formatRate(rate(imports.first.wallMs)),
          ],
          [
            "again",
            imports.again.report.imported.toLocaleString("en-US"),
            imports.again.report.already_there.toLocaleString("en-US"),
            formatMs(imports.again.wallMs),
            formatRate(rate(imports.again.wallMs)),
          ],
        ],
        rightAligned: [1, 2, 3, 4],
      },
    ],
    notes: [
      `re-sent batches: median answer within ${formatMs(TARGET.resendMs)} (target at 100,000 and 1,000,000 logs): ` +
        `${duplicateSends.map((s) => `${s.batch} ${met(s.median_ms <= TARGET.resendMs)}`).join("; ")}; one untimed re-send warmed the app up first`,
      `re-import/first import, rows/s: ${ratio.toFixed(2)} (target >= ${TARGET.reimportRatio}: ${met(ratio >= TARGET.reimportRatio)})`,
      `import wall times include npx and tsx start-up: \`${[...IMPORT_COMMAND, "--help"].join(" ")}\` takes ${formatMs(imports.floorMs)}`,
      `conflict: ${formatMs(conflict.median_ms)} median for the last batch with one message changed (nothing stored)`,
    ],
  };
}
