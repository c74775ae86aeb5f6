// The benchmark dataset: generated once per size and seed, cached as NDJSON
// under .data/bench/ (git-ignored), and read back as a stream of batches so
// that even the million-log dataset is never held in memory at once.
import { once } from "node:events";
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { generateLogInputs, type GeneratedLogInput } from "@/lib/features/generators/logs";
import { timed } from "./measure";

const CACHE_DIR = path.join(".data", "bench");
// Part of the cache key (v1): changing the range or the generator needs a new version.
const VERSION = "v1";
const START = new Date("2025-01-06T00:00:00.000Z");
/** Where the generated logs end: benchmarks of recent ranges treat it as now. */
export const DATASET_END = new Date("2025-02-03T00:00:00.000Z");
const LINES_PER_WRITE = 1_000;
/** Every generated log's time lies within [from, to). */
export const DATASET_SPAN = { from: START, to: DATASET_END } as const;

export type Dataset = {
  size: number;
  seed: number;
  file: string;
  batches(batchSize: number): AsyncGenerator<GeneratedLogInput[]>;
};

export async function openDataset(size: number, seed: number, progress: (line: string) => void): Promise<Dataset> {
  const file = path.join(CACHE_DIR, `logs-${size}-seed${seed}-${VERSION}.ndjson`);
  if (!existsSync(file)) {
    progress(`generating ${size.toLocaleString("en-US")} logs into ${file}`);
    const ms = await timed(() => writeDataset(file, size, seed));
    progress(`generated in ${(ms / 1000).toFixed(1)} s`);
  }
  return { size, seed, file, batches: (batchSize) => readBatches(file, batchSize) };
}

// Written to a partial file first, so an interrupted run never leaves a short cache behind.
async function writeDataset(file: string, size: number, seed: number): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.partial-${process.pid}`;
  const out = createWriteStream(partial);
  try {
    let lines: string[] = [];
    for (const log of generateLogInputs({ count: size, seed, start: START, end: DATASET_END })) {
      lines.push(JSON.stringify(log));
      if (lines.length === LINES_PER_WRITE) {
        if (!out.write(`${lines.join("\n")}\n`)) await once(out, "drain");
        lines = [];
      }
    }
    if (lines.length > 0) out.write(`${lines.join("\n")}\n`);
    out.end();
    await once(out, "finish");
    renameSync(partial, file);
  } catch (error) {
    out.destroy();
    rmSync(partial, { force: true });
    throw error;
  }
}

async function* readBatches(file: string, batchSize: number): AsyncGenerator<GeneratedLogInput[]> {
  const input = createReadStream(file);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let batch: GeneratedLogInput[] = [];
  try {
    for await (const line of lines) {
      if (line === "") continue;
      batch.push(JSON.parse(line) as GeneratedLogInput);
      if (batch.length === batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  } finally {
    lines.close();
    input.destroy();
  }
}
