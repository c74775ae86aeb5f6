// Stores the dataset the way the app stores services' logs: through
// ingestLogs in process (validated, sequenced, signed with the run's keyring),
// either several batches in flight like that many clients, or in order with a
// checkpoint every so many logs and after the last (checkpoints also write the
// rollups), like a steady stream.
import type { Db } from "mongodb";
import type { GeneratedLogInput } from "@/lib/features/generators/logs";
import type { CheckpointSigner } from "@/lib/records/integrity/checkpoint-keys";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import type { Keyring } from "@/lib/records/integrity/keyring";
import { ingestLogs } from "@/lib/records/logs/ingest";
import { ingestedByCli } from "@/lib/records/logs/provenance";
import type { Dataset } from "./dataset";
import { forEachConcurrently, formatRate, timed } from "./measure";

const PROGRESS_EVERY = 100_000;

export type IngestDatasetOptions = {
  keyring: Keyring;
  batchSize: number;
  clients: number;
  /** Sees each batch once it is stored, with its position in the dataset (0 for the first). */
  onBatch?: (batch: GeneratedLogInput[], position: number) => void;
  progress?: (line: string) => void;
};

/** Returns the milliseconds the load took; throws unless every log was accepted. */
export function ingestDataset(db: Db, dataset: Dataset, options: IngestDatasetOptions): Promise<number> {
  const { keyring, batchSize, clients, onBatch, progress } = options;
  let loaded = 0;
  const started = performance.now();
  return timed(() =>
    forEachConcurrently(numbered(dataset.batches(batchSize)), clients, async ({ batch, position }) => {
      const result = await ingestLogs(db, batch, { keyring, maxFutureSkewMs: 0, ingestedBy: ingestedByCli("bench") });
      if (result.accepted !== batch.length)
        throw new Error(`ingestLogs accepted ${result.accepted} of ${batch.length} logs`);
      onBatch?.(batch, position);
      const before = loaded;
      loaded += batch.length;
      if (progress && Math.floor(loaded / PROGRESS_EVERY) > Math.floor(before / PROGRESS_EVERY)) {
        progress(
          `loaded ${loaded.toLocaleString("en-US")} logs, ${formatRate(loaded / ((performance.now() - started) / 1000))} logs/s`,
        );
      }
    }),
  );
}

// Concurrent clients finish batches out of order: a batch's position is taken as the dataset hands it out.
async function* numbered(
  batches: AsyncIterable<GeneratedLogInput[]>,
): AsyncGenerator<{ batch: GeneratedLogInput[]; position: number }> {
  let position = 0;
  for await (const batch of batches) yield { batch, position: position++ };
}

// Every block is settled before each checkpoint, so nothing is ever voided.
const VOID_AFTER_MS = 120_000;

export type LoadOptions = {
  keyring: Keyring;
  signer: CheckpointSigner;
  batchSize: number;
  checkpointEvery: number;
  label: string;
  /** Sees each batch once it is stored. */
  onBatch?: (batch: GeneratedLogInput[]) => void;
  progress: (line: string) => void;
};

/** Returns the number of checkpoints written. */
export async function loadWithCheckpoints(
  db: Db,
  dataset: Dataset,
  { keyring, signer, batchSize, checkpointEvery, label, onBatch, progress }: LoadOptions,
): Promise<number> {
  let loaded = 0;
  let covered = 0;
  let checkpoints = 0;
  const started = performance.now();
  const checkpoint = async () => {
    const { written, checkpoint } = await writeCheckpoint(db, { signer, voidAfterMs: VOID_AFTER_MS });
    if (!written) throw new Error(`checkpoint ${checkpoint.number} was written by someone else`);
    if (checkpoint.log_count !== loaded - covered) {
      throw new Error(
        `checkpoint ${checkpoint.number} covers ${checkpoint.log_count} logs, expected ${loaded - covered}`,
      );
    }
    covered = loaded;
    checkpoints++;
  };
  for await (const batch of dataset.batches(batchSize)) {
    const result = await ingestLogs(db, batch, { keyring, maxFutureSkewMs: 0, ingestedBy: ingestedByCli("bench") });
    if (result.accepted !== batch.length)
      throw new Error(`ingestLogs accepted ${result.accepted} of ${batch.length} logs`);
    onBatch?.(batch);
    loaded += batch.length;
    if (loaded - covered >= checkpointEvery) await checkpoint();
    if (loaded % PROGRESS_EVERY === 0) {
      progress(
        `${label}: loaded ${loaded.toLocaleString("en-US")} logs, ${formatRate(loaded / ((performance.now() - started) / 1000))} logs/s`,
      );
    }
  }
  if (loaded > covered) await checkpoint();
  return checkpoints;
}
