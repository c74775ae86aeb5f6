// The ways the ingest suite writes the same logs: as services would, over
// HTTP in one of the protocols (scripts/bench/protocols.ts), and as the
// baseline, plain insertMany of documents already in the stored shape. All
// send the same batches with the same number of concurrent clients; each
// returns every batch's milliseconds.
import { createHash } from "node:crypto";
import type { Db } from "mongodb";
import { logsCollection } from "@/lib/records/logs/collection";
import { logContentOf, timeDimensions, type StoredLog } from "@/lib/records/logs/record";
import { ipKey } from "@/lib/foundation/net/ip";
import type { GeneratedLogInput } from "@/lib/features/generators/logs";
import { DATASET_SPAN, type Dataset } from "../dataset";
import { forEachConcurrently, timed } from "../measure";
import { checkAnswer, encodeBatch, type EncodedBatch, type IngestProtocol } from "../protocols";

export const BATCH_SIZE = 500;
export const CLIENTS = 4;
// Enough requests for the server's JIT to compile the hot paths before the clock starts.
const WARM_UP_BATCHES = 4;
// As ingestLogs writes, so that the baseline waits for the same durability.
const DURABLE = { w: "majority", j: true } as const;

/** One batch, ready in every form the run sends before any clock starts. */
export type PreparedBatch = { bodies: Partial<Record<IngestProtocol, EncodedBatch>>; documents: StoredLog[] };
/** `warmUp` repeats the first batches under other log_ids, to run before the clock starts. */
export type PreparedRun = { warmUp: PreparedBatch[]; measured: PreparedBatch[]; size: number };

/** Rewrites a log's timestamp (the same for both sides); the dataset's own times when absent. */
export type EventTimes = (timestamp: string) => string;

/**
 * Event times as a live service sends them: the dataset's span (four weeks)
 * mapped onto [from, from + spanMs], keeping the order and relative spacing.
 */
export function liveEventTimes(from: Date, spanMs: number): EventTimes {
  const start = DATASET_SPAN.from.getTime();
  const scale = spanMs / (DATASET_SPAN.to.getTime() - start);
  return (timestamp) => new Date(from.getTime() + Math.floor((Date.parse(timestamp) - start) * scale)).toISOString();
}

// Held in memory (about 1 GB for 1,000,000 logs) so that no preparation is ever timed.
export async function prepareBatches(
  dataset: Dataset,
  protocols: readonly IngestProtocol[],
  eventTimes?: EventTimes,
): Promise<PreparedRun> {
  const receivedAt = new Date();
  const run: PreparedRun = { warmUp: [], measured: [], size: 0 };
  for await (const batch of dataset.batches(BATCH_SIZE)) {
    const inputs = eventTimes ? batch.map((input) => ({ ...input, timestamp: eventTimes(input.timestamp) })) : batch;
    run.measured.push(prepareBatch(inputs, protocols, run.size + 1, receivedAt));
    if (run.warmUp.length < WARM_UP_BATCHES) {
      const renamed = inputs.map((input) => ({ ...input, log_id: `warmup-${input.log_id}` }));
      // Sequences after the dataset's own, which the baseline's unique index requires.
      run.warmUp.push(prepareBatch(renamed, protocols, dataset.size + run.size + 1, receivedAt));
    }
    run.size += inputs.length;
  }
  return run;
}

function prepareBatch(
  inputs: GeneratedLogInput[],
  protocols: readonly IngestProtocol[],
  firstSequence: number,
  receivedAt: Date,
): PreparedBatch {
  const documents = inputs.map((input, offset): StoredLog => {
    const time = new Date(input.timestamp);
    return {
      _id: input.log_id,
      ...logContentOf(input, receivedAt),
      time,
      received_at: receivedAt,
      sequence: firstSequence + offset,
      ip_key: ipKey(input.ip),
      key_id: "bench",
      // Stands in for the MAC: the same length and as varied, without signing.
      mac: createHash("sha256").update(input.log_id).digest("hex"),
      ...timeDimensions(time),
    };
  });
  return {
    bodies: Object.fromEntries(protocols.map((protocol) => [protocol, encodeBatch(protocol, inputs)])),
    documents,
  };
}

export async function postBatches(
  url: string,
  apiKey: string,
  batches: PreparedBatch[],
  protocol: IngestProtocol,
): Promise<number[]> {
  const latencies: number[] = [];
  await forEachConcurrently(batches, CLIENTS, async (batch) => {
    const { path, contentType, body } = batch.bodies[protocol]!;
    const started = performance.now();
    const response = await fetch(`${url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": contentType },
      body,
    });
    const answer: unknown = await response.json();
    latencies.push(performance.now() - started);
    checkAnswer(protocol, response.status, answer, batch.documents.length);
  });
  return latencies;
}

export async function insertBatches(db: Db, batches: PreparedBatch[]): Promise<number[]> {
  const latencies: number[] = [];
  await forEachConcurrently(batches, CLIENTS, async (batch) => {
    latencies.push(
      await timed(() => logsCollection(db).insertMany(batch.documents, { ordered: false, writeConcern: DURABLE })),
    );
  });
  return latencies;
}
