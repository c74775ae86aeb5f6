import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** How to run syslog-ng with its HTTP module: the binary, the arguments and environment it needs besides the test's own. */
export type SyslogNg = { binary: string; args: string[]; env: Record<string, string> };

const SYSTEM_BINARY = "/usr/sbin/syslog-ng";
const SYSTEM_MODULES = "/usr/lib/syslog-ng";
const PACKAGES = ["syslog-ng-core", "syslog-ng-mod-http"];
export const SYSLOG_NG_DIR = path.join(process.cwd(), ".tools", "syslog-ng");

/**
 * syslog-ng for the test that ships auth.log through it. Debian's
 * syslog-ng-core conflicts with rsyslog (both are the system logger), so
 * unless it is installed, its packages and the libraries this machine lacks
 * are unpacked into .tools/syslog-ng (apt-get download, dpkg-deb -x) and run
 * from there: nothing of the system changes.
 */
export function ensureSyslogNg(): SyslogNg {
  if (existsSync(SYSTEM_BINARY) && moduleDir(SYSTEM_MODULES) !== undefined)
    return { binary: SYSTEM_BINARY, args: [], env: {} };
  if (moduleDir(path.join(SYSLOG_NG_DIR, "usr/lib/syslog-ng")) === undefined) unpackSyslogNg();
  const modules = moduleDir(path.join(SYSLOG_NG_DIR, "usr/lib/syslog-ng"))!;
  const libraries = [
    path.join(SYSLOG_NG_DIR, "usr/lib/syslog-ng"),
    ...multiarchDirs(path.join(SYSLOG_NG_DIR, "usr/lib")),
    ...multiarchDirs(path.join(SYSLOG_NG_DIR, "lib")),
  ];
  return {
    binary: path.join(SYSLOG_NG_DIR, "usr/sbin/syslog-ng"),
    args: [`--module-path=${modules}`],
    env: { LD_LIBRARY_PATH: libraries.join(":") },
  };
}

/** The versioned folder of modules (`3.38`) that holds the HTTP destination, if any. */
function moduleDir(root: string): string | undefined {
  if (!existsSync(root)) return undefined;
  const version = readdirSync(root).find((entry) => existsSync(path.join(root, entry, "libhttp.so")));
  return version === undefined ? undefined : path.join(root, version);
}

function multiarchDirs(root: string): string[] {
  return existsSync(root)
    ? readdirSync(root)
        .filter((entry) => entry.endsWith("-linux-gnu"))
        .map((entry) => path.join(root, entry))
    : [];
}

function unpackSyslogNg(): void {
  if (process.getuid?.() !== 0 || spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status !== 0) {
    throw new Error(
      `syslog-ng is missing: install Debian's ${PACKAGES.join(" ")} (they replace rsyslog), or run the tests as root with apt-get`,
    );
  }
  console.log(
    `Unpacking Debian's ${PACKAGES.join(", ")} and missing libraries into ${path.relative(process.cwd(), SYSLOG_NG_DIR)} for the syslog-ng test...`,
  );
  run("apt-get", ["update", "-qq"]);
  const downloads = mkdtempSync(path.join(tmpdir(), "ledgerline-syslog-ng-"));
  const unpacked = `${SYSLOG_NG_DIR}.${process.pid}`;
  try {
    const wanted = [...PACKAGES];
    for (const seen = new Set<string>(); wanted.length > 0;) {
      const name = wanted.shift()!;
      if (seen.has(name)) continue;
      seen.add(name);
      run("apt-get", ["download", "-qq", name], downloads);
      const deb = readdirSync(downloads).find((file) => file.startsWith(`${name}_`) && file.endsWith(".deb"))!;
      wanted.push(
        ...dependencies(path.join(downloads, deb)).filter(
          (dependency) => !seen.has(dependency) && !isInstalled(dependency),
        ),
      );
    }
    mkdirSync(unpacked, { recursive: true });
    for (const deb of readdirSync(downloads)) run("dpkg-deb", ["-x", path.join(downloads, deb), unpacked]);
    // Another run may have finished first; either copy will do.
    if (!existsSync(SYSLOG_NG_DIR)) renameSync(unpacked, SYSLOG_NG_DIR);
  } finally {
    rmSync(downloads, { recursive: true, force: true });
    rmSync(unpacked, { recursive: true, force: true });
  }
}

/** A package's dependencies, the first of each set of alternatives, without versions. */
function dependencies(deb: string): string[] {
  const field = run("dpkg-deb", ["-f", deb, "Depends"]);
  return field
    .split(",")
    .map(
      (dependency) =>
        dependency
          .split("|")[0]!
          .trim()
          .split(/[\s(:]/)[0]!,
    )
    .filter((name) => name !== "");
}

function isInstalled(name: string): boolean {
  return (
    spawnSync("dpkg-query", ["-W", "--showformat=${Status}", name], { encoding: "utf8" }).stdout ===
    "install ok installed"
  );
}

function run(command: string, args: string[], cwd?: string): string {
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status}): ${result.stderr}`);
  return result.stdout;
}
