import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";

/** Installs Debian's `pkg` when `binary` is missing, if we are root with apt-get; else says how. */
export function ensureDebianPackage(binary: string, pkg: string, purpose: string): void {
  if (existsSync(binary)) return;
  if (process.getuid?.() !== 0 || spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status !== 0) {
    throw new Error(
      `${binary} is missing: install Debian's package with \`sudo apt-get install ${pkg}\` (${purpose} need it)`,
    );
  }
  console.log(`Installing Debian's ${pkg} package for ${purpose}...`);
  // --no-remove: never make room by removing another package (rsyslog and syslog-ng exclude each other).
  for (const args of [
    ["update", "-qq"],
    ["install", "-y", "-qq", "--no-install-recommends", "--no-remove", pkg],
  ]) {
    const result = spawnSync("apt-get", args, {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(" ")} failed (exit ${result.status})`);
  }
}
