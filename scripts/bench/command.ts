// Runs a command as its own process tree, timing it and taking the peak RSS of
// the largest process in the tree (GNU time when installed, else /proc polling).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { cleanupOnSignal } from "../lib/processes";
import { processTree, readVmHwmKb } from "../lib/process-memory";

// GNU time reports the peak RSS of the largest process in the tree it waits for.
export const GNU_TIME = "/usr/bin/time";
export const POLL_MS = 50;
const OUTPUT_TAIL_CHARS = 4_000;

export type RssMethod = "gnu-time" | "proc-vmhwm";
export type Measured = { wallMs: number; peakRssKb: number; exitCode: number; stdout: string; stderr: string };

export function rssMethod(): RssMethod {
  return existsSync(GNU_TIME) ? "gnu-time" : "proc-vmhwm";
}

/** Runs `command` to completion, timing it and taking the peak RSS of the largest process in its tree. */
export async function measureCommand(command: string[], env: NodeJS.ProcessEnv, method: RssMethod): Promise<Measured> {
  const timeDir = method === "gnu-time" ? mkdtempSync(path.join(tmpdir(), "ledgerline-bench-time-")) : undefined;
  const timeFile = timeDir && path.join(timeDir, "time.txt");
  try {
    const [file, ...args] = timeFile ? [GNU_TIME, "-v", "-o", timeFile, ...command] : command;
    const started = performance.now();
    const child = spawn(file!, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    const forgetSignal = cleanupOnSignal(async () => void child.kill("SIGKILL"));
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-OUTPUT_TAIL_CHARS)));
    const poller = timeFile ? undefined : pollTreePeak(child.pid!);
    const exitCode = await new Promise<number>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
    const wallMs = performance.now() - started;
    forgetSignal();
    const peakRssKb = timeFile ? parseGnuTimePeak(readFileSync(timeFile, "utf8")) : poller!.stop();
    return { wallMs, peakRssKb, exitCode, stdout, stderr };
  } finally {
    if (timeDir) rmSync(timeDir, { recursive: true, force: true });
  }
}

function parseGnuTimePeak(output: string): number {
  const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(output);
  if (!match) throw new Error(`no "Maximum resident set size" in the output of ${GNU_TIME} -v:\n${output}`);
  return Number(match[1]);
}

/**
 * Without GNU time: every POLL_MS, the VmHWM (peak RSS) of each process below
 * `rootPid`. A high-water mark only rises, so the last reading before a
 * process exits misses at most its last POLL_MS of growth.
 */
function pollTreePeak(rootPid: number): { stop(): number } {
  const peaks = new Map<number, number>();
  const poll = () => {
    for (const pid of processTree(rootPid)) {
      const kb = readVmHwmKb(pid);
      if (kb !== null) peaks.set(pid, Math.max(kb, peaks.get(pid) ?? 0));
    }
  };
  poll();
  const timer = setInterval(poll, POLL_MS);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(0, ...peaks.values());
    },
  };
}
