// What the soak checks once the load has stopped: every log signed into a
// checkpoint, each acknowledged log stored exactly once and nothing else, the
// derived data (rollups, baselines, search layout) equal to a rebuild from the
// logs, and the stored alerts equal to detection run again over the logs.
import { isDeepStrictEqual } from "node:util";
import type { Db } from "mongodb";
import { withLiveFields } from "@/lib/derived/alerts/active-alerts";
import { alertsCollection, type Alert } from "@/lib/derived/alerts/alert-record";
import { rebuildBaselines } from "@/lib/derived/alerts/baseline-rebuild";
import { baselinesCollection } from "@/lib/derived/alerts/baseline-store";
import { readActiveAlerts } from "@/lib/derived/alerts/detection-state";
import { findAnomalies } from "@/lib/derived/alerts/find-anomalies";
import { mergeFindings } from "@/lib/derived/alerts/merge-findings";
import { getConfig } from "@/lib/foundation/config";
import { getCheckpointSigner } from "@/lib/records/integrity/active-keyring";
import { latestCheckpoint } from "@/lib/records/integrity/checkpoints";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { logsCollection } from "@/lib/records/logs/collection";
import { INGESTED_BY_LEDGERLINE } from "@/lib/records/logs/provenance";
import { summariesOf } from "@/lib/records/logs/summaries";
import { rebuildRollups } from "@/lib/derived/rollups/rebuild";
import { allPeriodDocs } from "@/lib/derived/rollups/period-docs";
import { rebuildSearchLayout } from "@/lib/derived/search/rebuild";
import { readDayParts, searchDays, searchParts } from "@/lib/derived/search/layout";
import { sleep } from "./clients";

/** Checkpoints until none of the stored logs is newer than the last one; the void window lets lost sequence numbers settle. */
export async function checkpointEverything(
  db: Db,
  timeoutMs: number,
): Promise<{ checkpoints: number; seconds: number }> {
  const started = performance.now();
  const options = { signer: getCheckpointSigner(), voidAfterMs: getConfig().checkpointVoidAfterMs };
  for (;;) {
    await writeCheckpoint(db, options);
    const last = await latestCheckpoint(db);
    const newer = last ? await logsCollection(db).countDocuments({ sequence: { $gte: last.end_sequence } }) : 1;
    if (newer === 0) return { checkpoints: last!.number, seconds: (performance.now() - started) / 1000 };
    if (performance.now() - started > timeoutMs)
      throw new Error(`${newer} logs still newer than the last checkpoint after ${timeoutMs / 1000} s`);
    await sleep(1_000);
  }
}

export type ExactlyOnce = { stored: number; missing: string[]; unacknowledged: string[]; cutOffStored: string[] };

/** The clients' logs in the store against what they were told: acknowledged ⇔ stored, and no cut-off body stored. */
export async function checkExactlyOnce(
  db: Db,
  acknowledged: ReadonlySet<string>,
  cutOff: ReadonlySet<string>,
): Promise<ExactlyOnce> {
  const stored = new Set<string>();
  const cursor = logsCollection(db).find({ ingested_by: { $ne: INGESTED_BY_LEDGERLINE } }, { projection: { _id: 1 } });
  for await (const log of cursor) stored.add(log._id);
  return {
    stored: stored.size,
    missing: sample([...acknowledged].filter((id) => !stored.has(id))),
    unacknowledged: sample([...stored].filter((id) => !acknowledged.has(id))),
    cutOffStored: sample([...cutOff].filter((id) => stored.has(id))),
  };
}

export type DerivedComparison = { rollups: string[]; baselines: string[]; search: string[] };

/** Snapshots what the checkpoints derived, rebuilds it from the logs, and lists every document that differs. */
export async function compareDerivedWithRebuild(db: Db): Promise<DerivedComparison> {
  const live = {
    rollups: await rollupSnapshot(db),
    baselines: await baselineSnapshot(db),
    search: await searchSnapshot(db),
  };
  await rebuildRollups(db);
  await rebuildBaselines(db, getConfig().anomaly);
  await rebuildSearchLayout(db);
  return {
    rollups: differences(live.rollups, await rollupSnapshot(db)),
    baselines: differences(live.baselines, await baselineSnapshot(db)),
    search: differences(live.search, await searchSnapshot(db)),
  };
}

export type DetectionComparison = {
  stored: number;
  rerun: number;
  onlyStored: string[];
  onlyRerun: string[];
  counts: string[];
};

/**
 * Detection over the range of the clients' logs, merged into alerts as the
 * checkpoints merge findings, against the alerts they stored: by type,
 * subject and window, then by count. source_silent is judged against the
 * clock at each checkpoint, not from the logs, so it is left out.
 */
export async function compareDetection(db: Db, range: { from: Date; to: Date }): Promise<DetectionComparison> {
  const { anomaly } = getConfig();
  // Detection keeps the alerts it may still extend in its state; readers overlay them on the documents.
  const stored = withLiveFields(
    await alertsCollection(db)
      .find({ type: { $ne: "source_silent" } })
      .toArray(),
    await readActiveAlerts(db),
  );
  const findings = (await findAnomalies(db, range, anomaly)).filter((finding) => finding.type !== "source_silent");
  const rerun = mergeFindings([], findings, { mergeGapMs: anomaly.windowMs, now: new Date(), idSeed: "soak" });
  const storedByKey = new Map(stored.map((alert) => [alertKey(alert), alert.count]));
  const rerunByKey = new Map(rerun.map((alert) => [alertKey(alert), alert.count]));
  return {
    stored: stored.length,
    rerun: rerun.length,
    onlyStored: sample([...storedByKey.keys()].filter((key) => !rerunByKey.has(key))),
    onlyRerun: sample([...rerunByKey.keys()].filter((key) => !storedByKey.has(key))),
    counts: sample(
      [...storedByKey]
        .filter(([key, count]) => rerunByKey.has(key) && rerunByKey.get(key) !== count)
        .map(([key, count]) => `${key}: stored ${count}, rerun ${rerunByKey.get(key)}`),
    ),
  };
}

function alertKey(alert: Alert): string {
  return `${alert.type} ip=${alert.ip ?? "-"} user=${alert.user ?? "-"} ${alert.start.toISOString()}..${alert.end.toISOString()}`;
}

type Snapshot = Map<string, unknown>;

// `through` records which checkpoint last changed a document; a rebuild writes every one as of the last.
async function rollupSnapshot(db: Db): Promise<Snapshot> {
  return new Map((await allPeriodDocs(db)).map(({ through: _through, through_end: _end, ...doc }) => [doc._id, doc]));
}

async function baselineSnapshot(db: Db): Promise<Snapshot> {
  return new Map(
    (await baselinesCollection(db).find().toArray()).map(({ through: _through, ...doc }) => [String(doc._id), doc]),
  );
}

/** Each day's entries in sequence order; which part holds them is the writer's choice. */
async function searchSnapshot(db: Db): Promise<Snapshot> {
  const parts = new Map((await searchParts(db).find().toArray()).map((part) => [part._id, part]));
  const snapshot: Snapshot = new Map();
  for (const day of await searchDays(db).find().toArray()) {
    const ids = Object.values(readDayParts(day)).flat();
    const missing = ids.filter((id) => !parts.has(id));
    const entries = ids.flatMap((id) => (parts.has(id) ? summariesOf(parts.get(id)!.entries) : []));
    snapshot.set(day._id, { missing, entries: entries.sort((a, b) => a.sequence - b.sequence) });
  }
  return snapshot;
}

function differences(live: Snapshot, rebuilt: Snapshot): string[] {
  const ids = [...new Set([...live.keys(), ...rebuilt.keys()])].sort();
  return sample(
    ids
      .filter((id) => !isDeepStrictEqual(live.get(id), rebuilt.get(id)))
      .map((id) =>
        !live.has(id) ? `${id}: only in the rebuild` : !rebuilt.has(id) ? `${id}: only live` : `${id}: differs`,
      ),
  );
}

/** Up to 20 entries: enough to investigate, short enough to print. */
function sample(values: string[]): string[] {
  return values.length <= 20 ? values : [...values.slice(0, 20), `... and ${values.length - 20} more`];
}
