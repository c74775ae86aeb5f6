// Stores the dataset the way the app stores services' logs: through
// ingestLogs in process (validated, sequenced, signed with the run's keyring),
// several batches in flight like that many clients.
import type { Db } from "mongodb";
import type { GeneratedLogInput } from "@/lib/generators/logs";
import type { Keyring } from "@/lib/integrity/keyring";
import { ingestLogs } from "@/lib/logs/ingest";
import type { Dataset } from "./dataset";
import { forEachConcurrently, formatRate, timed } from "./measure";

const PROGRESS_EVERY = 100_000;

export type IngestDatasetOptions = {
  keyring: Keyring;
  batchSize: number;
  clients: number;
  /** Sees each batch once it is stored. */
  onBatch?: (batch: GeneratedLogInput[]) => void;
  progress?: (line: string) => void;
};

/** Returns the milliseconds the load took; throws unless every log was accepted. */
export function ingestDataset(db: Db, dataset: Dataset, options: IngestDatasetOptions): Promise<number> {
  const { keyring, batchSize, clients, onBatch, progress } = options;
  let loaded = 0;
  const started = performance.now();
  return timed(() =>
    forEachConcurrently(dataset.batches(batchSize), clients, async (batch) => {
      const result = await ingestLogs(db, batch, { keyring, maxFutureSkewMs: 0 });
      if (result.accepted !== batch.length) throw new Error(`ingestLogs accepted ${result.accepted} of ${batch.length} logs`);
      onBatch?.(batch);
      const before = loaded;
      loaded += batch.length;
      if (progress && Math.floor(loaded / PROGRESS_EVERY) > Math.floor(before / PROGRESS_EVERY)) {
        progress(`loaded ${loaded.toLocaleString("en-US")} logs, ${formatRate(loaded / ((performance.now() - started) / 1000))} logs/s`);
      }
    }),
  );
}
