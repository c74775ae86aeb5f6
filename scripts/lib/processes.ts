import { spawn, type SpawnOptions } from "node:child_process";
import { createServer } from "node:net";

/** Runs a command to completion, streaming its output; resolves with the exit code. */
export function runCommand(command: string, args: string[], options: SpawnOptions = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", ...options });
    child.once("error", (error) => {
      console.error(`could not run ${command}: ${error.message}`);
      resolve(127);
    });
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** Asks the kernel for a free loopback port. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

const signalCleanups = new Set<() => Promise<void>>();

function cleanUpAndExit(): void {
  void Promise.allSettled([...signalCleanups].map((cleanup) => cleanup())).finally(() => process.exit(130));
}

/**
 * Until the returned function is called, Ctrl+C (SIGINT) or SIGTERM runs
 * `cleanup` (with every other one registered) before the process exits 130.
 */
export function cleanupOnSignal(cleanup: () => Promise<void>): () => void {
  if (signalCleanups.size === 0) {
    process.once("SIGINT", cleanUpAndExit);
    process.once("SIGTERM", cleanUpAndExit);
  }
  signalCleanups.add(cleanup);
  return () => {
    signalCleanups.delete(cleanup);
    if (signalCleanups.size === 0) {
      process.off("SIGINT", cleanUpAndExit);
      process.off("SIGTERM", cleanUpAndExit);
    }
  };
}
