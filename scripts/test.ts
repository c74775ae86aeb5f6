// npm test – every check the project has: type-check, lint, unit tests,
// integration tests against a real embedded database, Playwright e2e tests
// against the production build in Debian's Chromium, and reliability tests
// (whole production instances under faults and hostile input). Ends with one line
// "tests: N passed, M failed" counting the test cases that ran.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { throwawaySecrets } from "./lib/app-stack";
import { runCli, EXIT_OK, EXIT_PROBLEM } from "./lib/cli";
import { ensureChromium } from "./lib/chromium";
import { ensureLibreOfficeCalc } from "./lib/libreoffice";
import { ensureRsyslog } from "./lib/rsyslog";
import { ensureSyslogNg } from "./lib/syslog-ng";
import { ensureLauncher, LAUNCHER_DIR, withTemporaryEmbeddedDb } from "./lib/embedded-db";
import { ensureCollector } from "./lib/otel-collector";
import { findFreePort, runCommand } from "./lib/processes";
import { goTestOutput, parseGoTestCounts, parsePlaywrightCounts, parseTapCounts } from "./lib/test-counts";

const STAGES = ["static", "unit", "integration", "e2e", "reliability"] as const;
type Stage = (typeof STAGES)[number];
type StepResult = { name: string; ok: boolean; passed: number; failed: number; seconds: number };

const RESULTS_DIR = ".test-results";
const SOURCE_FOLDERS = ["lib", "app", "components", "scripts", "tests", "e2e"];
const COLLECTOR_TEST = "otel-collector.test.ts";
const TEST_DB_PREFIX = "ledgerline-test-db-";
const results: StepResult[] = [];

const STAGE_RUNNERS: Record<Stage, (match: string | undefined) => Promise<void>> = {
  static: async () => {
    await step("type-check", () => runCommand("npx", ["tsc", "--noEmit"]));
    await step("lint", () => runCommand("npx", ["eslint", "--max-warnings", "0", "."]));
    await step("format", () => runCommand("npx", ["prettier", "--check", "."]));
    // Settings in .madgerc; a deferred import() is not a cycle at load time.
    await step("cycles", () => runCommand("npx", ["madge", "--circular", "--no-spinner", ...SOURCE_FOLDERS]));
  },
  unit: async (match) => {
    const files = findTestFiles(["lib", "components", "scripts", "app"], match);
    await nodeTestStep("unit", files, {});
    if (!match || path.relative(process.cwd(), LAUNCHER_DIR).includes(match))
      await goTestStep("launcher", LAUNCHER_DIR);
  },
  integration: async (match) => {
    ensureLauncher();
    ensureLibreOfficeCalc();
    ensureRsyslog();
    ensureSyslogNg();
    const files = findTestFiles(["tests/integration"], match);
    // Built here, before any test's timeout starts: the first build takes minutes.
    if (files.some((file) => file.endsWith(COLLECTOR_TEST))) ensureCollector();
    await withTemporaryEmbeddedDb(TEST_DB_PREFIX, async ({ uri }) => {
      await nodeTestStep("integration", files, { MONGODB_URI: uri });
    });
  },
  e2e: async (match) => {
    ensureChromium();
    ensureLauncher();
    if (!(await buildOnce())) return;
    await withTemporaryEmbeddedDb(TEST_DB_PREFIX, async ({ uri }) => {
      const port = await findFreePort();
      const reportFile = path.join(RESULTS_DIR, "e2e.json");
      await countedStep("e2e", reportFile, parsePlaywrightCounts, () =>
        runCommand("npx", ["playwright", "test", ...(match ? [match] : [])], {
          env: nextEnv({ MONGODB_URI: uri, MONGODB_DB: "ledgerline_e2e", E2E_PORT: String(port) }),
        }),
      );
    });
  },
  // Whole production instances with their own databases, faults and hostile clients.
  reliability: async (match) => {
    ensureLauncher();
    if (!(await buildOnce())) return;
    const files = findTestFiles(["tests/reliability"], match);
    await nodeTestStep("reliability", files, {}, ["--test-concurrency=1", "--test-timeout=600000"]);
  },
};

let buildSucceeded: Promise<boolean> | undefined;

/** One `next build` per run, shared by the stages that start the production app. */
function buildOnce(): Promise<boolean> {
  buildSucceeded ??= step("next build", () => runCommand("npx", ["next", "build"], { env: nextEnv({}) }));
  return buildSucceeded;
}

const TEST_SECRETS = throwawaySecrets();

function nextEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...TEST_SECRETS, ...extra };
}

async function nodeTestStep(
  name: string,
  files: string[],
  env: Record<string, string>,
  // A guard against hangs, not a speed target: it bounds a whole file, and a file of CLI runs takes minutes on a loaded
  // machine.
  runnerOptions: string[] = ["--test-timeout=300000"],
): Promise<void> {
  if (files.length === 0) {
    results.push({ name, ok: false, passed: 0, failed: 0, seconds: 0 });
    console.error(`${name}: no test files found`);
    return;
  }
  const tapFile = path.join(RESULTS_DIR, `${name}.tap`);
  await countedStep(name, tapFile, parseTapCounts, () =>
    runCommand(
      "node",
      [
        "--import",
        "tsx",
        "--test",
        // A hung test fails instead of holding up the whole run.
        ...runnerOptions,
        "--test-reporter=spec",
        "--test-reporter-destination=stdout",
        "--test-reporter=tap",
        `--test-reporter-destination=${tapFile}`,
        ...files,
      ],
      { env: { ...process.env, ...TEST_SECRETS, ...env } },
    ),
  );
}

/** `go test` of a Go module, its events kept as JSON for counting and echoed as `go test -v` prints them. */
async function goTestStep(name: string, moduleDir: string): Promise<void> {
  const reportFile = path.join(RESULTS_DIR, `${name}.json`);
  await countedStep(name, reportFile, parseGoTestCounts, async () => {
    const report = openSync(reportFile, "w");
    try {
      return await runCommand("go", ["test", "-json", "./..."], {
        cwd: moduleDir,
        stdio: ["ignore", report, "inherit"],
      });
    } finally {
      closeSync(report);
      process.stdout.write(goTestOutput(readFileSync(reportFile, "utf8")));
    }
  });
}

async function step(name: string, run: () => Promise<number>): Promise<boolean> {
  banner(name);
  const started = Date.now();
  const code = await run();
  results.push({ name, ok: code === 0, passed: 0, failed: 0, seconds: (Date.now() - started) / 1000 });
  return code === 0;
}

async function countedStep(
  name: string,
  reportFile: string,
  parseCounts: (text: string) => { passed: number; failed: number },
  run: () => Promise<number>,
): Promise<void> {
  banner(name);
  const started = Date.now();
  const code = await run();
  const counts = existsSync(reportFile) ? parseCounts(readFileSync(reportFile, "utf8")) : { passed: 0, failed: 0 };
  // A runner that exits 0 having run nothing has not tested anything.
  const ok = code === 0 && counts.failed === 0 && counts.passed > 0;
  results.push({ name, ok, ...counts, seconds: (Date.now() - started) / 1000 });
}

function findTestFiles(roots: string[], match: string | undefined): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== "node_modules") walk(full);
      else if (/\.test\.tsx?$/.test(entry.name) && (!match || full.includes(match))) found.push(full);
    }
  };
  for (const root of roots) if (existsSync(root)) walk(root);
  return found.sort();
}

function banner(name: string): void {
  console.log(`\n=== ${name} ===`);
}

function report(): number {
  console.log("\n=== summary ===");
  for (const r of results) {
    const counts = r.passed + r.failed > 0 ? ` (${r.passed} passed, ${r.failed} failed)` : "";
    console.log(`${r.ok ? "ok  " : "FAIL"} ${r.name.padEnd(12)} ${r.seconds.toFixed(1).padStart(6)} s${counts}`);
  }
  const passed = results.reduce((sum, r) => sum + r.passed, 0);
  // A step that failed without failing test cases (type errors, lint, a crash) counts as one failure.
  const failedSteps = results.filter((r) => !r.ok);
  const failed = results.reduce((sum, r) => sum + r.failed, 0) + failedSteps.filter((r) => r.failed === 0).length;
  console.log(`tests: ${passed} passed, ${failed} failed`);
  return failedSteps.length === 0 ? EXIT_OK : EXIT_PROBLEM;
}

runCli({
  usage: `Usage: npm test [-- --only static|unit|integration|e2e|reliability] [--match TEXT]

Runs type-check and lint (static), unit tests, integration tests against a
throwaway embedded database, e2e tests in Chromium, and reliability tests
(production instances under faults and hostile input). Exit 1 if any failed.
--match runs only the test files whose path contains TEXT (while working on them).`,
  options: { only: { type: "string" }, match: { type: "string" } },
  schema: z.object({ only: z.enum(STAGES).optional(), match: z.string().min(1).optional() }),
  main: async ({ only, match }) => {
    const stages = only ? [only] : [...STAGES];
    rmSync(RESULTS_DIR, { recursive: true, force: true });
    mkdirSync(RESULTS_DIR, { recursive: true });
    for (const stage of stages) await STAGE_RUNNERS[stage](match);
    return report();
  },
});
