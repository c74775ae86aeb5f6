// verify: what `npm run verify` costs as the logs collection grows. Logs are
// loaded through ingestLogs with a checkpoint every CHECKPOINT_EVERY logs, then
// the verifier runs as its own process, the way an operator runs it, and its
// wall time and peak resident memory are measured. The verifier streams, so
// its peak memory should hardly grow with the number of logs.
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { MongoClient } from "mongodb";
import { ensureIndexes } from "@/lib/platform/db/indexes";
import { generateCheckpointKeySpec, parseCheckpointKeys } from "@/lib/records/integrity/checkpoint-keys";
import { parseKeyring } from "@/lib/records/integrity/keyring";
import type { VerifyReport } from "@/lib/records/integrity/verify";
import { withTemporaryEmbeddedDb } from "../../lib/embedded-db";
import { openDataset } from "../dataset";
import { loadWithCheckpoints } from "../load";
import { formatMs, formatRate, median, timed } from "../measure";
import {
  GNU_TIME,
  measureCommand,
  POLL_MS,
  rssMethod as detectRssMethod,
  type Measured,
  type RssMethod,
} from "../command";
import { readVmHwmKb, resetVmHwm } from "../../lib/process-memory";
import type { Suite, SuiteOptions, SuiteResult } from "../report";
import { runEnv } from "../run-env";

const ROUNDS = 3;
const BATCH_SIZE = 1_000;
const CHECKPOINT_EVERY = 10_000;
const DB_NAME = "bench_verify";
const VERIFY_COMMAND = ["npx", "tsx", path.join("scripts", "verify.ts"), "--json"];
const FLOOR_COMMAND = ["npx", "tsx", path.join("scripts", "verify.ts"), "--help"];
const TARGET_RSS_RATIO = 1.2;
const OUTPUT_TAIL_CHARS = 4_000;
type Round = {
  round: number;
  wallMs: number;
  reportMs: number;
  peakRssKb: number;
  checked: number;
  pending: number;
  serverPeakRssKb: number | null;
};

export const verifySuite: Suite = {
  defaultSize: 100_000,
  run: async ({ size, seed, hmacKeys, progress }: SuiteOptions): Promise<SuiteResult> => {
    const dataset = await openDataset(size, seed, progress);
    const checkpointKeys = generateCheckpointKeySpec("bench");
    const rssMethod = detectRssMethod();
    return withTemporaryEmbeddedDb("ledgerline-bench-verify-", async (server) => {
      const serverPid = server.process.pid!;
      const client = new MongoClient(server.uri);
      try {
        const db = client.db(DB_NAME);
        await ensureIndexes(db);
        progress(
          `verify: loading ${size.toLocaleString("en-US")} logs through ingestLogs (batches of ${BATCH_SIZE.toLocaleString("en-US")}), ` +
            `a checkpoint every ${CHECKPOINT_EVERY.toLocaleString("en-US")} logs`,
        );
        const keyring = parseKeyring(hmacKeys, undefined);
        const signer = parseCheckpointKeys(checkpointKeys, undefined);
        let checkpoints = 0;
        const loadMs = await timed(
          async () =>
            (checkpoints = await loadWithCheckpoints(db, dataset, {
              keyring,
              signer,
              batchSize: BATCH_SIZE,
              checkpointEvery: CHECKPOINT_EVERY,
              label: "verify",
              progress,
            })),
        );
        // No count of the stored logs here: on the embedded server a count decodes
        // every document (minutes at a million). Each batch's accepted count, each
        // checkpoint's log_count and the report's checked count vouch for them.
        const serverLoadPeakKb = readVmHwmKb(serverPid);

        const env = { ...process.env, ...runEnv({ uri: server.uri, dbName: DB_NAME, hmacKeys, checkpointKeys }) };
        progress(`verify: startup floor (${FLOOR_COMMAND.join(" ")})`);
        const floor = await measureCommand(FLOOR_COMMAND, env, rssMethod);
        if (floor.exitCode !== 0)
          throw new Error(`${FLOOR_COMMAND.join(" ")} exited ${floor.exitCode}\n${floor.stderr}`);

        const rounds: Round[] = [];
        for (let round = 1; round <= ROUNDS; round++) {
          progress(`verify: round ${round}/${ROUNDS}, ${VERIFY_COMMAND.join(" ")}`);
          // Each earlier run recorded one audit log (integrity_verified), after its check.
          const expected = size + round - 1;
          const serverReset = resetVmHwm(serverPid);
          const measured = await measureCommand(VERIFY_COMMAND, env, rssMethod);
          const report = parseReport(measured, round);
          const problem = checkReport(report, expected, round - 1, checkpoints);
          if (problem)
            throw new Error(
              `round ${round}: ${problem}; report: ${JSON.stringify({ ...report, problems: report.problems.slice(0, 5) })}`,
            );
          rounds.push({
            round,
            wallMs: measured.wallMs,
            reportMs: Date.parse(String(report.finished_at)) - Date.parse(String(report.started_at)),
            peakRssKb: measured.peakRssKb,
            checked: report.checked,
            pending: report.pending,
            serverPeakRssKb: serverReset ? readVmHwmKb(serverPid) : null,
          });
        }
        const offline = await measureOffline(env, rssMethod, size, progress);
        return summarize({
          size,
          seed,
          loadMs,
          checkpoints,
          rssMethod,
          floorKb: floor.peakRssKb,
          serverLoadPeakKb,
          rounds,
          offline,
        });
      } finally {
        await client.close();
      }
    });
  },
};

type Offline = {
  exportMs: number;
  exportPeakRssKb: number;
  fileBytes: number;
  verifyMs: number[];
  verifyPeakRssKb: number[];
  checked: number;
};

/** `npm run export -- --format ndjson` once, then `npm run verify -- --file` (public key only) ROUNDS times. */
async function measureOffline(
  env: NodeJS.ProcessEnv,
  rssMethod: RssMethod,
  size: number,
  progress: (line: string) => void,
): Promise<Offline> {
  const dir = mkdtempSync(path.join(tmpdir(), "ledgerline-bench-export-"));
  try {
    const file = path.join(dir, "export.ndjson");
    const keyFile = path.join(dir, "keys.json");
    progress("verify: npm run export -- --format ndjson (every log)");
    const exported = await measureCommand(
      ["npx", "tsx", path.join("scripts", "export.ts"), "--format", "ndjson", "--out", file],
      env,
      rssMethod,
    );
    if (exported.exitCode !== 0) throw new Error(`export exited ${exported.exitCode}\n${exported.stderr}`);
    const signer = parseCheckpointKeys(env.LEDGERLINE_CHECKPOINT_KEYS, undefined);
    writeFileSync(keyFile, JSON.stringify({ keys: signer.publicKeys() }));
    // Offline means without the HMAC keyring: the public key is all an auditor has.
    const offlineEnv = { ...env, LEDGERLINE_HMAC_KEYS: "" };
    const result: Offline = {
      exportMs: exported.wallMs,
      exportPeakRssKb: exported.peakRssKb,
      fileBytes: statSync(file).size,
      verifyMs: [],
      verifyPeakRssKb: [],
      checked: 0,
    };
    for (let round = 1; round <= ROUNDS; round++) {
      progress(`verify: round ${round}/${ROUNDS}, npm run verify -- --file (public key only)`);
      const measured = await measureCommand(
        ["npx", "tsx", path.join("scripts", "verify.ts"), "--file", file, "--public-key", keyFile, "--json"],
        offlineEnv,
        rssMethod,
      );
      const report = JSON.parse(measured.stdout.trim().split("\n").at(-1) ?? "{}") as {
        ok?: boolean;
        checked?: number;
        macs_checked?: boolean;
      };
      if (measured.exitCode !== 0 || !report.ok || report.macs_checked || (report.checked ?? 0) < size) {
        throw new Error(
          `verify --file round ${round} failed (exit ${measured.exitCode}): ${measured.stdout.slice(-500)}${measured.stderr}`,
        );
      }
      result.verifyMs.push(measured.wallMs);
      result.verifyPeakRssKb.push(measured.peakRssKb);
      result.checked = report.checked!;
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function parseReport(measured: Measured, round: number): VerifyReport {
  const lastLine = measured.stdout.trim().split("\n").at(-1) ?? "";
  try {
    return JSON.parse(lastLine) as VerifyReport;
  } catch {
    throw new Error(
      `round ${round}: ${VERIFY_COMMAND.join(" ")} exited ${measured.exitCode} without a JSON report\n--- stdout ---\n${measured.stdout.slice(-OUTPUT_TAIL_CHARS)}\n--- stderr ---\n${measured.stderr}`,
    );
  }
}

function checkReport(report: VerifyReport, expected: number, pending: number, checkpoints: number): string | undefined {
  if (!report.ok) return `the report is not ok (${report.problem_count} problems)`;
  if (report.checked !== expected) return `checked ${report.checked} logs, expected ${expected}`;
  if (report.valid !== expected) return `${report.valid} valid of ${expected}`;
  if (report.pending !== pending) return `${report.pending} pending, expected ${pending}`;
  if (report.checkpoints !== checkpoints) return `${report.checkpoints} checkpoints, expected ${checkpoints}`;
  return undefined;
}

function summarize(run: {
  size: number;
  seed: number;
  loadMs: number;
  checkpoints: number;
  rssMethod: string;
  floorKb: number;
  serverLoadPeakKb: number | null;
  rounds: Round[];
  offline: Offline;
}): SuiteResult {
  const { size, seed, loadMs, checkpoints, rssMethod, floorKb, serverLoadPeakKb, rounds, offline } = run;
  const mb = (kb: number) => kb / 1024;
  const formatMb = (kb: number | null) => (kb === null ? "n/a" : `${mb(kb).toFixed(1)} MB`);
  const rate = (r: Round) => r.checked / (r.wallMs / 1000);
  const reportRate = (r: Round) => r.checked / (r.reportMs / 1000);
  const serverPeaks = rounds.map((r) => r.serverPeakRssKb).filter((kb) => kb !== null);
  const medianRound = {
    wallMs: median(rounds.map((r) => r.wallMs)),
    logsPerSecond: median(rounds.map(rate)),
    reportLogsPerSecond: median(rounds.map(reportRate)),
    peakRssKb: median(rounds.map((r) => r.peakRssKb)),
    checked: median(rounds.map((r) => r.checked)),
    serverPeakRssKb: serverPeaks.length === rounds.length ? median(serverPeaks) : null,
  };
  const loadRate = size / (loadMs / 1000);
  const rssNote =
    rssMethod === "gnu-time"
      ? `${GNU_TIME} -v "Maximum resident set size": the largest single process in the command's tree (npm exec, tsx, the verifier)`
      : `VmHWM from /proc, polled every ${POLL_MS} ms: the largest single process in the command's tree (npm exec, tsx, the verifier)`;
  return {
    suite: "verify",
    json: {
      suite: "verify",
      size,
      seed,
      batch_size: BATCH_SIZE,
      checkpoint_every: CHECKPOINT_EVERY,
      load: { ms: loadMs, logs_per_s: loadRate, checkpoints },
      command: VERIFY_COMMAND.join(" "),
      rss_method: rssMethod,
      startup_floor_peak_rss_mb: mb(floorKb),
      rounds: rounds.map((r) => ({
        round: r.round,
        wall_ms: r.wallMs,
        logs_per_s: rate(r),
        report_ms: r.reportMs,
        report_logs_per_s: reportRate(r),
        peak_rss_mb: mb(r.peakRssKb),
        checked: r.checked,
        pending: r.pending,
        server_peak_rss_mb: r.serverPeakRssKb === null ? null : mb(r.serverPeakRssKb),
      })),
      median_wall_ms: medianRound.wallMs,
      median_logs_per_s: medianRound.logsPerSecond,
      median_report_logs_per_s: medianRound.reportLogsPerSecond,
      median_peak_rss_mb: mb(medianRound.peakRssKb),
      median_checked: medianRound.checked,
      server_load_peak_rss_mb: serverLoadPeakKb === null ? null : mb(serverLoadPeakKb),
      median_server_verify_peak_rss_mb: medianRound.serverPeakRssKb === null ? null : mb(medianRound.serverPeakRssKb),
      target_rss_ratio_vs_100k: TARGET_RSS_RATIO,
      offline: {
        export_ms: offline.exportMs,
        export_logs_per_s: offline.checked / (offline.exportMs / 1000),
        export_peak_rss_mb: mb(offline.exportPeakRssKb),
        file_mb: offline.fileBytes / 1024 / 1024,
        verify_ms: offline.verifyMs,
        median_verify_logs_per_s: offline.checked / (median(offline.verifyMs) / 1000),
        median_verify_peak_rss_mb: mb(median(offline.verifyPeakRssKb)),
      },
    },
    tables: [
      {
        title:
          `verify: ${size.toLocaleString("en-US")} logs, ${checkpoints} checkpoints; loaded through ingestLogs at ${formatRate(loadRate)} logs/s ` +
          `(${formatMs(loadMs)}); \`${VERIFY_COMMAND.join(" ")}\` as a child process, ${ROUNDS} rounds`,
        header: ["round", "checked", "wall", "logs/s", "in-report logs/s", "peak RSS", "server peak RSS"],
        rows: [
          ...rounds.map((r) => [
            String(r.round),
            String(r.checked),
            formatMs(r.wallMs),
            formatRate(rate(r)),
            formatRate(reportRate(r)),
            formatMb(r.peakRssKb),
            formatMb(r.serverPeakRssKb),
          ]),
          [
            "median",
            String(medianRound.checked),
            formatMs(medianRound.wallMs),
            formatRate(medianRound.logsPerSecond),
            formatRate(medianRound.reportLogsPerSecond),
            formatMb(medianRound.peakRssKb),
            formatMb(medianRound.serverPeakRssKb),
          ],
        ],
        rightAligned: [1, 2, 3, 4, 5, 6],
      },
      {
        title: `verifiable export and offline verification of all ${offline.checked.toLocaleString("en-US")} logs (public key only, no MACs)`,
        header: ["step", "wall", "logs/s", "peak RSS"],
        rows: [
          [
            "npm run export -- --format ndjson",
            formatMs(offline.exportMs),
            formatRate(offline.checked / (offline.exportMs / 1000)),
            formatMb(offline.exportPeakRssKb),
          ],
          [
            "npm run verify -- --file (median)",
            formatMs(median(offline.verifyMs)),
            formatRate(offline.checked / (median(offline.verifyMs) / 1000)),
            formatMb(median(offline.verifyPeakRssKb)),
          ],
        ],
        rightAligned: [1, 2, 3],
      },
    ],
    notes: [
      `peak RSS: ${rssNote}; the same command with --help peaks at ${formatMb(floorKb)}`,
      `logs/s: checked logs over the wall time of the whole command (npx and tsx start-up included); in-report: over the report's started_at..finished_at`,
      `server peak RSS: VmHWM of the embedded server, reset before each round (/proc/<pid>/clear_refs); after the load it was ${formatMb(serverLoadPeakKb)}`,
      `target: peak RSS at 1,000,000 logs <= ${TARGET_RSS_RATIO} x peak RSS at 100,000 (compare two runs' median_peak_rss_mb)`,
      `export file: ${(offline.fileBytes / 1024 / 1024).toFixed(1)} MB`,
    ],
  };
}
