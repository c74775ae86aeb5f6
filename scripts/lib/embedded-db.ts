// Builds and runs the embedded database: FerretDB v1 on SQLite, through the
// small Go launcher in scripts/embedded-db. The binary is cached per user and
// keyed by a hash of the launcher's sources, so fresh clones reuse it.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { embeddedDbUri } from "@/lib/foundation/config";
import { cleanupOnSignal } from "./processes";

export const LAUNCHER_DIR = path.join(process.cwd(), "scripts", "embedded-db");
const LAUNCHER_SOURCES = ["go.mod", "go.sum", "main.go", "id_index.go"];
const CACHE_DIR = path.join(homedir(), ".cache", "ledgerline");
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

export class EmbeddedDbError extends Error {
  override name = "EmbeddedDbError";
}

export function launcherBinaryPath(): string {
  const hash = createHash("sha256");
  for (const file of LAUNCHER_SOURCES) hash.update(file).update(readFileSync(path.join(LAUNCHER_DIR, file)));
  return path.join(CACHE_DIR, `embedded-db-${hash.digest("hex").slice(0, 16)}`);
}

/** Returns the launcher binary, building it with Go on first use. */
export function ensureLauncher(log: (line: string) => void = console.log): string {
  const binary = launcherBinaryPath();
  if (existsSync(binary)) return binary;

  if (spawnSync("go", ["version"], { stdio: "ignore" }).status !== 0) {
    throw new EmbeddedDbError(
      "Go is needed to build the embedded database but was not found on PATH.\n" +
        "Install Go 1.24 or newer (https://go.dev/doc/install, or `apt-get install golang` on a recent Debian),\n" +
        "or point Ledgerline at your own MongoDB by setting MONGODB_URI in .env.local.",
    );
  }
  log("Building the embedded database (FerretDB v1.24.2 on SQLite); the first build takes a minute or two...");
  mkdirSync(CACHE_DIR, { recursive: true });
  const partial = `${binary}.partial-${process.pid}`;
  const build = spawnSync("go", ["build", "-trimpath", "-buildvcs=false", "-o", partial, "."], {
    cwd: LAUNCHER_DIR,
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (build.status !== 0) throw new EmbeddedDbError(`go build of scripts/embedded-db failed (exit ${build.status})`);
  renameSync(partial, binary);
  return binary;
}

export type EmbeddedDb = {
  uri: string;
  port: number;
  dataDir: string;
  process: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
};

export type StartOptions = {
  /** 0 picks a free port. */
  port: number;
  dataDir: string;
  /** Where the server's own log lines go; "inherit" shows them, "ignore" drops them. */
  stderr?: "inherit" | "ignore";
};

/** Starts the server and resolves once it accepts connections. */
export async function startEmbeddedDb(options: StartOptions): Promise<EmbeddedDb> {
  const binary = ensureLauncher();
  const child = spawn(binary, ["--listen", `127.0.0.1:${options.port}`, "--data-dir", options.dataDir], {
    stdio: ["ignore", "pipe", options.stderr ?? "inherit"],
  });
  const ready = await waitForReadyLine(child);
  const port = Number(new URL(ready.uri).port);

  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };
  return { uri: embeddedDbUri(port), port, dataDir: ready.data_dir, process: child, stop };
}

/**
 * Runs `body` against a fresh server on a free port with a throwaway data
 * folder, then stops the server and removes the folder, also on failure or Ctrl+C.
 */
export async function withTemporaryEmbeddedDb<T>(prefix: string, body: (db: EmbeddedDb) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(path.join(tmpdir(), prefix));
  const removeDataDir = () => rmSync(dataDir, { recursive: true, force: true });
  let db: EmbeddedDb;
  try {
    db = await startEmbeddedDb({ port: 0, dataDir, stderr: "ignore" });
  } catch (error) {
    removeDataDir();
    throw error;
  }
  const stopAndRemove = async (signal?: NodeJS.Signals) => {
    await db.stop(signal);
    removeDataDir();
  };
  // Interrupted, there is nothing worth a graceful shutdown: the data is thrown away.
  const forgetSignal = cleanupOnSignal(() => stopAndRemove("SIGKILL"));
  try {
    return await body(db);
  } finally {
    forgetSignal();
    await stopAndRemove();
  }
}

function waitForReadyLine(child: ChildProcess): Promise<{ uri: string; data_dir: string }> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const fail = (message: string) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new EmbeddedDbError(message));
    };
    const timer = setTimeout(
      () => fail(`the embedded database did not start within ${READY_TIMEOUT_MS} ms`),
      READY_TIMEOUT_MS,
    );
    child.once("error", (error) => fail(`the embedded database could not start: ${error.message}`));
    child.once("exit", (code) =>
      fail(`the embedded database exited during start-up (exit ${code}); see its messages above`),
    );
    lines.once("line", (line) => {
      clearTimeout(timer);
      child.removeAllListeners("exit");
      child.removeAllListeners("error");
      try {
        resolve(JSON.parse(line));
      } catch {
        reject(new EmbeddedDbError(`unexpected start-up line from the embedded database: ${line}`));
      }
    });
  });
}
