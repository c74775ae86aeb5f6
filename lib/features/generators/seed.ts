// Demo and test data through the real ingestion path (signed, sequenced):
// normal traffic from the generator, the anomaly injection plan, and a
// checkpoint so the seeded logs are covered by the signed chain.
import type { Db } from "mongodb";
import { getConfig } from "@/lib/foundation/config";
import { planAnomalyInjection, type InjectedAnomaly, type InjectedLogInput } from "@/lib/features/generators/anomalies";
import { generateLogInputs } from "@/lib/features/generators/logs";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { ingestLogs, type IngestOptions } from "@/lib/records/logs/ingest";
import { ingestedByCli } from "@/lib/records/logs/provenance";
import type { LogInput } from "@/lib/records/logs/schemas";

const DAY_MS = 86_400_000;
export const SEED_BATCH_SIZE = 1_000;

export type SeedOptions = {
  count: number;
  days: number;
  randomSeed: number;
  /** Where the timestamps end (default: now). */
  now?: Date;
  onProgress?: (stored: number, total: number) => void;
};

export type SeedResult = { accepted: number; duplicates: number; from: Date; to: Date };

/** Stores `count` logs of normal traffic (no attacks) spread over the `days` before `now`. */
export async function seedNormalLogs(
  db: Db,
  { count, days, randomSeed, now = new Date(), onProgress }: SeedOptions,
): Promise<SeedResult> {
  const from = new Date(now.getTime() - days * DAY_MS);
  // The run's own ids: seeding again, with the same random seed or not, adds logs instead of conflicting.
  const run = `seed-${now.getTime().toString(36)}`;
  const result = { accepted: 0, duplicates: 0, from, to: now };
  let batch: LogInput[] = [];
  const store = async () => {
    const stored = await ingestLogs(db, batch, ingestOptions("seed"));
    result.accepted += stored.accepted;
    result.duplicates += stored.duplicates;
    onProgress?.(result.accepted + result.duplicates, count);
    batch = [];
  };
  for (const input of generateLogInputs({ count, seed: randomSeed, start: from, end: now, traffic: "normal" })) {
    batch.push({ ...input, log_id: input.log_id.replace(/^evt-\d+/, run) });
    if (batch.length === SEED_BATCH_SIZE) await store();
  }
  if (batch.length > 0) await store();
  return result;
}

/**
 * Stores one clear instance of each finding type in the 24 hours before `now`;
 * returns what it injected. The earlier history the per-user rules need goes
 * first, under a checkpoint of its own, so that the checkpoint covering the
 * anomalies also raises new_ip_for_user and rare_hour_for_user as alerts.
 */
export async function injectAnomalies(db: Db, now = new Date()): Promise<InjectedAnomaly[]> {
  const { logs, injected } = planAnomalyInjection(getConfig().anomaly, now);
  const isHistory = (log: InjectedLogInput) => Date.parse(log.timestamp) < now.getTime() - DAY_MS;
  await ingestLogs(db, logs.filter(isHistory), ingestOptions("seed-anomalies"));
  await checkpointSeededLogs(db);
  await ingestLogs(
    db,
    logs.filter((log) => !isHistory(log)),
    ingestOptions("seed-anomalies"),
  );
  return injected;
}

/** Covers everything stored so far with a signed checkpoint; returns its number. */
export async function checkpointSeededLogs(db: Db): Promise<number> {
  const { checkpoint } = await writeCheckpoint(db, {
    signer: getCheckpointSigner(),
    voidAfterMs: getConfig().checkpointVoidAfterMs,
  });
  return checkpoint.number;
}

export const DEMO_SEED = { count: 5_000, days: 7, randomSeed: 1 } as const;

/** The quick start's demo data: a week of normal traffic, the injected anomalies, a checkpoint. */
export async function seedDemoData(
  db: Db,
  now = new Date(),
): Promise<{ seeded: SeedResult; injected: InjectedAnomaly[] }> {
  const seeded = await seedNormalLogs(db, { ...DEMO_SEED, now });
  const injected = await injectAnomalies(db, now);
  await checkpointSeededLogs(db);
  return { seeded, injected };
}

function ingestOptions(command: string): IngestOptions {
  return {
    keyring: getKeyring(),
    maxFutureSkewMs: getConfig().ingestMaxFutureSkewMs,
    ingestedBy: ingestedByCli(command),
  };
}
