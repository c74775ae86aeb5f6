// Rebuilds every period document from the logs and the alerts themselves: for
// an install upgraded from the per-checkpoint rollups, after a restore or a
// purge, or to prove the live ones right. Counts through the latest derived
// checkpoint L and writes with the same rule as derivation (conditional on
// the `through` read), so checkpoints may go on meanwhile: a document a newer
// derivation has already moved past L is counted again, through that one.
// Streams the logs once per attempt; memory grows with periods × distinct
// values, not with the number of logs.
import type { Db } from "mongodb";
import { withLiveFields } from "@/lib/derived/alerts/active-alerts";
import { alertsCollection } from "@/lib/derived/alerts/alert-record";
import { readActiveAlerts } from "@/lib/derived/alerts/detection-state";
import { closedByRecordedChanges } from "@/lib/derived/alerts/open-count";
import { isTallied } from "@/lib/derived/derivation/alert-tallies";
import { isDerivationRunning, latestDerived } from "@/lib/derived/derivation/derive";
import { logsCollection } from "@/lib/records/logs/collection";
import {
  ALL_TIME_ID,
  addToPeriod,
  allPeriodDocs,
  Contributions,
  periodsCollection,
  type Contribution,
} from "./period-docs";
import { updatePeriods, type Through } from "./write";

const MAX_ATTEMPTS = 5;
const LEGACY_ROLLUPS = "rollups";

export type RebuildResult = { checkpoints: number; logs: number; alerts: number; documents: number };

export async function rebuildRollups(db: Db): Promise<RebuildResult> {
  // The per-checkpoint rollups of earlier versions.
  await db
    .collection(LEGACY_ROLLUPS)
    .drop()
    .catch(() => undefined);
  let only: Set<string> | null = null;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const through = await latestDerived(db);
    const counted = await countThrough(db, through);
    const moved = await writeRebuilt(db, counted, through, only);
    if (moved.size === 0)
      return {
        checkpoints: through.number,
        logs: counted.logs,
        alerts: counted.alerts,
        documents: counted.contributions.size,
      };
    only = moved;
  }
  throw new Error(`rollups kept moving on while they were rebuilt (${MAX_ATTEMPTS} attempts); try again`);
}

/** The logs through `through` and all stored alerts. */
async function countThrough(
  db: Db,
  through: Through,
): Promise<{ contributions: Contributions; logs: number; alerts: number; openOffset: number }> {
  const contributions = new Contributions();
  let logs = 0;
  const cursor = logsCollection(db).find(
    { sequence: { $lt: through.end_sequence } },
    { projection: { time: 1, ip: 1, user: 1, action: 1, status: 1 } },
  );
  for await (const log of cursor) {
    contributions.addLog(log);
    logs++;
  }
  const alerts = await readAlertsBetweenDerivations(db);
  const tallied = alerts.all.filter(isTallied);
  for (const alert of tallied) contributions.addAlert(alert.start, alert.type, alert.severity, 1);
  return { contributions, logs, alerts: alerts.all.length, openOffset: tallied.length - alerts.closed - alerts.open };
}

/**
 * The alerts, read while no derivation runs: one that stored alerts but not
 * yet its rollups would add them again on top of the rebuilt documents.
 * Derivations finished before are fine: the documents they touched count
 * past `through` and are rebuilt again.
 */
async function readAlertsBetweenDerivations(db: Db) {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const mark = (await latestDerived(db)).number;
    if (!(await isDerivationRunning(db, mark))) {
      const closed = await closedByRecordedChanges(db);
      const stored = await alertsCollection(db)
        .find({}, { projection: { start: 1, type: 1, severity: 1, status: 1, suppressed_by: 1 } })
        .toArray();
      const all = withLiveFields(stored, await readActiveAlerts(db));
      if ((await latestDerived(db)).number === mark && !(await isDerivationRunning(db, mark))) {
        return { all, closed, open: all.filter((alert) => alert.status === "open").length };
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  throw new Error(`checkpoints kept deriving while the alerts were read (${MAX_ATTEMPTS} attempts); try again`);
}

// A derivation stores its alert snapshot before detection and drops it after its mark.
/** Replaces the documents (`only` those, when given) with the rebuilt ones; returns the ids already counted past `through`. */
async function writeRebuilt(
  db: Db,
  { contributions, openOffset }: { contributions: Contributions; openOffset: number },
  through: Through,
  only: Set<string> | null,
): Promise<Set<string>> {
  const moved = new Set<string>();
  const rebuilt = new Map<string, Contribution>();
  for (const contribution of contributions.values())
    if (!only || only.has(contribution.id)) rebuilt.set(contribution.id, contribution);
  await updatePeriods(db, [...rebuilt.keys()], (id, stored) => {
    if (stored && stored.through > through.number) {
      moved.add(id);
      return null;
    }
    return {
      ...addToPeriod(null, rebuilt.get(id)!, through),
      ...(id === ALL_TIME_ID && { complete: true, open_offset: openOffset }),
    };
  });
  // Periods left without logs or alerts (purged, or counted wrongly before).
  for (const stale of await allPeriodDocs(db)) {
    if (rebuilt.has(stale._id) || (only && !only.has(stale._id))) continue;
    if (stale.through > through.number) moved.add(stale._id);
    else if (
      (await periodsCollection(db, stale._id).deleteOne({ _id: stale._id, through: stale.through })).deletedCount === 0
    )
      moved.add(stale._id);
  }
  return moved;
}
