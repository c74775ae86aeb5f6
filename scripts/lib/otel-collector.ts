// Builds the OpenTelemetry Collector of deploy/otel-collector/builder-config.yaml
// (file_log receiver, otlp_http exporter) with the collector's builder, from
// the Go module proxy. The binary is cached per user, keyed by a hash of the
// manifest, like the embedded database's launcher.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";

export const COLLECTOR_DIR = path.join(process.cwd(), "deploy", "otel-collector");
const MANIFEST = path.join(COLLECTOR_DIR, "builder-config.yaml");
const BUILDER = "go.opentelemetry.io/collector/cmd/builder@v0.165.0";
const CACHE_DIR = path.join(homedir(), ".cache", "ledgerline");
const NAME = "otelcol-ledgerline";

export function collectorBinaryPath(): string {
  const hash = createHash("sha256").update(BUILDER).update(readFileSync(MANIFEST)).digest("hex").slice(0, 16);
  return path.join(CACHE_DIR, `${NAME}-${hash}`);
}

/** Returns the collector binary, building it on first use (a few minutes). */
export function ensureCollector(log: (line: string) => void = console.log): string {
  const binary = collectorBinaryPath();
  if (existsSync(binary)) return binary;
  log(
    "Building the OpenTelemetry Collector of deploy/otel-collector (file_log, otlp_http); the first build takes a few minutes...",
  );
  mkdirSync(CACHE_DIR, { recursive: true });
  const work = mkdtempSync(path.join(CACHE_DIR, `${NAME}-build-`));
  try {
    const manifest = path.join(work, "builder-config.yaml");
    writeFileSync(
      manifest,
      readFileSync(MANIFEST, "utf8").replace(/^(\s*output_path:).*$/m, `$1 ${path.join(work, "dist")}`),
    );
    const build = spawnSync("go", ["run", BUILDER, "--config", manifest], { stdio: ["ignore", "inherit", "inherit"] });
    if (build.status !== 0) throw new Error(`building the OpenTelemetry Collector failed (exit ${build.status})`);
    renameSync(path.join(work, "dist", NAME), binary);
    return binary;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
