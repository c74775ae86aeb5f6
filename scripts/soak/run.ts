// One soak run: a throwaway deployment (the embedded database and K
// instances), 16 clients sending the generated stream for N seconds while the
// faults strike, then the checks. Returns the figures and what failed.
import { spawn } from "node:child_process";
import { getDb } from "@/lib/platform/db/client";
import { generateLogInputs, type GeneratedLogInput } from "@/lib/features/generators/logs";
import { startAppStack } from "../lib/app-stack";
import { HUNG_AFTER_MS, runSender } from "./clients";
import {
  checkExactlyOnce,
  checkpointEverything,
  compareDerivedWithRebuild,
  compareDetection,
  type DerivedComparison,
  type DetectionComparison,
  type ExactlyOnce,
} from "./checks";
import { faultPlan, runFaults, type FaultPlan, type FaultRecord, type SlowClientResult } from "./faults";
import { percentile, SoakStats, type Unexpected } from "./stats";

export type SoakOptions = {
  seconds: number;
  instances: number;
  clients: number;
  checkpointSeconds: number;
  voidSeconds: number;
  dataDir?: string;
};

const API_KEYS = 4;
const DRAIN_MS = 60_000;
/** The generated stream's mix of everyday traffic, bursts and sprays; its clock is replaced by the wall clock. */
const STREAM_HOURS = 12;
/** How far behind the wall clock a log's time is when a client takes it (a shipper's delay). */
const SHIPPING_DELAY_MS = 2_000;
const MOST_LOGS_PER_SECOND = 3_000;

type VerifySummary = { ok: boolean; checked: number; valid: number; pending: number; problems: number };

export type SoakFigures = {
  seconds: number;
  instances: number;
  clients: number;
  requests: number;
  statuses: Record<string, number>;
  network_errors: number;
  hung_requests: number;
  /** The first of them: when each was sent, and where. */
  hung: string[];
  logs_acknowledged: number;
  logs_stored: number;
  duplicates_answered: number;
  latency_ms: { p50: number; p95: number; p99: number };
  logs_per_second: number;
  faults: FaultRecord[];
  slow_client: SlowClientResult | null;
  checkpoints: number;
  verify: VerifySummary;
  derived: DerivedComparison;
  detection: DetectionComparison;
  exactly_once: ExactlyOnce;
  gave_up: number;
  unexpected: Unexpected[];
  /** Every attempt of the batches whose logs were acknowledged and not stored. */
  lost_batches: string[];
};

export type SoakReport = SoakFigures & { failures: string[] };

export async function runSoak(options: SoakOptions, progress: (line: string) => void): Promise<SoakReport> {
  const plan = faultPlan(options.seconds);
  progress(`schedule (seconds from the start of the load, ${options.seconds} s in all):`);
  for (const fault of plan) progress(`  ${String(fault.atSeconds).padStart(6)}  ${fault.describe}`);

  const stack = await startAppStack({
    instances: options.instances,
    dataDir: options.dataDir,
    env: {
      CHECKPOINT_INTERVAL_SECONDS: String(options.checkpointSeconds),
      CHECKPOINT_VOID_AFTER_SECONDS: String(options.voidSeconds),
      // The soak measures faults, not the rate limit: raised well above what the clients can send.
      INGEST_RATE_LIMIT_PER_MINUTE: "1000000",
      // Every log is "off hours", so that every user's alert grows at every checkpoint: the merge under the heaviest
      // load.
      ANOMALY_OFF_HOURS: "00:00-23:59",
    },
  });
  try {
    progress(
      `${options.instances} instances on ${stack.apps.map((app) => app.url).join(", ")}, database on port ${stack.db.port}`,
    );
    const keys = await Promise.all(Array.from({ length: API_KEYS }, () => stack.createApiKey(["ingest"])));
    const stats = new SoakStats();
    const now = Date.now();
    const seed = now % 1_000_000;
    const stream = streamOf(seed, options.seconds * MOST_LOGS_PER_SECOND, now);
    const fresh = streamOf(seed + 1, 10_000, now);
    let firstTime: string | undefined;
    let lastTime: string | undefined;
    const nextLogs = (count: number) => {
      const logs = stream.take(count);
      firstTime ??= logs[0]?.timestamp;
      lastTime = logs.at(-1)?.timestamp ?? lastTime;
      return logs;
    };

    const startedAt = performance.now();
    const elapsedSeconds = () => (performance.now() - startedAt) / 1000;
    const stopping = () => elapsedSeconds() >= options.seconds;
    const cutOffIds = new Set<string>();
    const senders = Array.from({ length: options.clients }, (_, index) =>
      runSender(index, {
        urls: () => stack.apps.map((app) => app.url),
        keys,
        nextLogs,
        stats,
        stopping,
        giveUpAt: () => startedAt + performance.timeOrigin + options.seconds * 1000 + DRAIN_MS,
      }),
    );
    const faults = runFaults(plan, {
      stack,
      key: keys[0]!,
      inFlight: (url) => stats.inFlight.get(url) ?? 0,
      freshLogs: (count) => fresh.take(count),
      stopping,
      elapsedSeconds,
      cutOffIds,
    });
    await Promise.all(senders);
    const loadSeconds = elapsedSeconds();
    const { faults: faultRecords, slowClient } = await faults;
    progress(
      `load ended after ${loadSeconds.toFixed(1)} s: ${stats.acknowledgedIds.size} logs acknowledged in ${stats.requests} requests`,
    );

    // Stopped first: their timers would derive on while the rebuild runs. One
    // stopped mid-derivation leaves it for the next writer, here the soak itself.
    await stack.stopApps();
    const db = await getDb();
    const settled = await checkpointEverything(db, DRAIN_MS + options.voidSeconds * 1000);
    progress(`every log is in a checkpoint (${settled.checkpoints} checkpoints)`);
    const exactlyOnce = await checkExactlyOnce(db, stats.acknowledgedIds, cutOffIds);
    const verify = await runVerify();
    progress(`verify: ${verify.ok ? "ok" : "PROBLEMS"}, ${verify.checked} logs checked`);
    const derived = await compareDerivedWithRebuild(db);
    const detection =
      firstTime && lastTime
        ? await compareDetection(db, { from: new Date(firstTime), to: new Date(lastTime) })
        : { stored: 0, rerun: 0, onlyStored: [], onlyRerun: [], counts: [] };

    const report: SoakFigures = {
      seconds: round(loadSeconds),
      instances: options.instances,
      clients: options.clients,
      requests: stats.requests,
      statuses: Object.fromEntries([...stats.statuses].sort()),
      network_errors: stats.networkErrors,
      hung_requests: stats.hungRequests.length,
      hung: stats.hungRequests.slice(0, 20),
      logs_acknowledged: stats.acknowledgedIds.size,
      logs_stored: exactlyOnce.stored,
      duplicates_answered: stats.duplicates,
      latency_ms: {
        p50: round(percentile(stats.latenciesMs, 0.5)),
        p95: round(percentile(stats.latenciesMs, 0.95)),
        p99: round(percentile(stats.latenciesMs, 0.99)),
      },
      logs_per_second: round(stats.acknowledgedIds.size / loadSeconds),
      faults: faultRecords,
      slow_client: slowClient,
      checkpoints: settled.checkpoints,
      verify: {
        ok: verify.ok,
        checked: verify.checked,
        valid: verify.valid,
        pending: verify.pending,
        problems: verify.problem_count,
      },
      derived,
      detection,
      exactly_once: exactlyOnce,
      gave_up: stats.gaveUpIds.size,
      unexpected: stats.unexpected.slice(0, 20),
      lost_batches: stats.attemptsOf(exactlyOnce.missing),
    };
    return { ...report, failures: failuresOf(report, plan) };
  } finally {
    await stack.stop();
  }
}

/** Every promise the soak checks, as a sentence when broken. */
function failuresOf(report: SoakFigures, plan: FaultPlan[]): string[] {
  const failures: string[] = [];
  const fail = (broken: boolean, sentence: string) => broken && failures.push(sentence);
  const { exactly_once: once, derived, detection, verify } = report;
  fail(
    once.missing.length > 0,
    `acknowledged but not stored: ${once.missing.join(", ")}\n${report.lost_batches.join("\n")}`,
  );
  fail(once.unacknowledged.length > 0, `stored but never acknowledged: ${once.unacknowledged.join(", ")}`);
  fail(once.cutOffStored.length > 0, `stored from a body the client never finished: ${once.cutOffStored.join(", ")}`);
  fail(report.gave_up > 0, `${report.gave_up} logs never acknowledged within ${DRAIN_MS / 1000} s after the load`);
  fail(
    report.unexpected.length > 0,
    `unexpected answers: ${report.unexpected.map((entry) => `${entry.status}${entry.code ? ` ${entry.code}` : ""} (${entry.detail})`).join("; ")}`,
  );
  fail(
    report.hung_requests > 0,
    `${report.hung_requests} requests without an answer after ${HUNG_AFTER_MS / 1000} s: ${report.hung.join("; ")}`,
  );
  fail(
    !verify.ok || verify.pending > 0 || verify.problems > 0,
    `npm run verify: ok=${verify.ok}, ${verify.pending} pending, ${verify.problems} problems`,
  );
  for (const [name, differing] of Object.entries(derived))
    fail(differing.length > 0, `${name} differ from their rebuild: ${differing.join("; ")}`);
  fail(
    detection.onlyStored.length > 0,
    `alerts detection over the logs does not find: ${detection.onlyStored.join("; ")}`,
  );
  fail(
    detection.onlyRerun.length > 0,
    `findings over the logs with no stored alert: ${detection.onlyRerun.join("; ")}`,
  );
  fail(
    detection.counts.length > 0,
    `alerts counting other logs than detection over the logs: ${detection.counts.join("; ")}`,
  );
  const planned = plan.filter((fault) => fault.name !== "slow_client");
  fail(report.faults.length < planned.length, `${planned.length - report.faults.length} planned faults never ran`);
  for (const fault of report.faults)
    fail(fault.detail.startsWith("failed"), `${fault.name} at ${fault.startedAtSeconds} s ${fault.detail}`);
  fail(report.slow_client === null, "the slow client never ran");
  return failures;
}

/** `npm run verify -- --json` over the stack's database, as an operator runs it. */
async function runVerify(): Promise<{
  ok: boolean;
  checked: number;
  valid: number;
  pending: number;
  problem_count: number;
}> {
  const child = spawn("npm", ["run", "--silent", "verify", "--", "--json"], { stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await new Promise((resolve) => child.once("exit", resolve));
  const line = output.trim().split("\n").at(-1) ?? "";
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`npm run verify printed no report: ${output.slice(0, 500)}`);
  }
}

/**
 * A generated stream handed out in batches, each log stamped with the time it
 * is taken, as a service sends what just happened: logs arrive late only
 * when the faults delay them.
 */
function streamOf(seed: number, count: number, now: number) {
  const logs = generateLogInputs({
    count,
    seed,
    start: new Date(now - STREAM_HOURS * 3_600_000),
    end: new Date(now - 60_000),
  });
  return {
    take(wanted: number): GeneratedLogInput[] {
      const taken: GeneratedLogInput[] = [];
      while (taken.length < wanted) {
        const next = logs.next();
        if (next.done) break;
        taken.push({ ...next.value, timestamp: new Date(Date.now() - SHIPPING_DELAY_MS).toISOString() });
      }
      return taken;
    },
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
