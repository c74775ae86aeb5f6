import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";

export const CHROMIUM_PATH = "/usr/bin/chromium";

/** E2E tests use Debian's Chromium; install it when missing and we are allowed to. */
export function ensureChromium(): void {
  if (existsSync(CHROMIUM_PATH)) return;
  if (process.getuid?.() !== 0 || spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status !== 0) {
    throw new Error(`Chromium is missing at ${CHROMIUM_PATH}: install Debian's package with \`sudo apt-get install chromium\``);
  }
  console.log("Installing Debian's chromium package for the browser tests...");
  for (const args of [["update", "-qq"], ["install", "-y", "-qq", "--no-install-recommends", "chromium"]]) {
    const result = spawnSync("apt-get", args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(" ")} failed (exit ${result.status})`);
  }
}
