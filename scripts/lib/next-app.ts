// The production build of the app (`next start`) on a free loopback port,
// with the environment a suite gives it.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { cleanupOnSignal, findFreePort, runCommand } from "./processes";

const BUILD_ID = path.join(".next", "BUILD_ID");
/** Run with `process.execPath`, not through npx, so that stopping the process stops the server. */
export const NEXT_BIN = path.join("node_modules", "next", "dist", "bin", "next");
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const OUTPUT_TAIL_CHARS = 4_000;

/** `pid` is the `next start` process, which serves the requests itself. */
export type NextApp = { url: string; port: number; pid: number; stop(): Promise<void> };

export async function ensureNextBuild(force: boolean, progress: (line: string) => void): Promise<void> {
  if (!force && existsSync(BUILD_ID)) return;
  progress("running next build");
  const code = await runCommand("npx", ["next", "build"], {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (code !== 0) throw new Error(`next build failed (exit ${code})`);
}

/**
 * Starts the app and resolves once GET /api/health answers 200 (the database is reachable).
 * `port` restarts an instance where its clients expect it; a free one otherwise.
 */
export async function startNextApp(env: Record<string, string>, port?: number): Promise<NextApp> {
  port ??= await findFreePort();
  const child = spawn(process.execPath, [NEXT_BIN, "start", "--port", String(port), "--hostname", "127.0.0.1"], {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS));
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };
  const forgetSignal = cleanupOnSignal(stop);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilHealthy(url, () => child.exitCode !== null || child.signalCode !== null);
  } catch (error) {
    forgetSignal();
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- next start output ---\n${output}`);
  }
  return {
    url,
    port,
    pid: child.pid!,
    stop: async () => {
      forgetSignal();
      await stop();
    },
  };
}

async function waitUntilHealthy(url: string, hasExited: () => boolean): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error("next start exited during start-up");
    try {
      const response = await fetch(`${url}/api/health`);
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`next start did not become healthy within ${READY_TIMEOUT_MS / 1000} s`);
}
