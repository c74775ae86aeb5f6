// Deleting every stored log and everything derived from them, so that the
// integrity chain starts afresh (sequence 1, checkpoint 1 with no previous
// digest). Users, API keys and sessions stay. Logs go first and the chain's
// bookkeeping last, so an interrupted reset leaves a state that verification
// reports, and running it again completes it.
import type { Db } from "mongodb";
import { recordSecurityEvent, type Actor } from "@/lib/records/audit/security-events";
import { COLLECTIONS, type CollectionName } from "@/lib/platform/db/collections";
import { dropAllPeriods } from "@/lib/derived/rollups/period-docs";

const DERIVED_IN_ORDER: readonly CollectionName[] = [
  COLLECTIONS.logs,
  COLLECTIONS.alerts,
  COLLECTIONS.alertChanges,
  COLLECTIONS.alertIndex,
  COLLECTIONS.alertSnapshots,
  COLLECTIONS.anomalyTail,
  COLLECTIONS.baselines,
  COLLECTIONS.searchState,
  COLLECTIONS.searchDays,
  COLLECTIONS.searchParts,
  COLLECTIONS.misplacedLogs,
  COLLECTIONS.integrityReports,
  COLLECTIONS.sequenceSettlements,
  COLLECTIONS.sequenceBlocks,
  COLLECTIONS.checkpoints,
  COLLECTIONS.purges,
  COLLECTIONS.derivedMarks,
  // Only hints derived from the above (next sequence, checkpoint head).
  COLLECTIONS.counters,
];

export type ResetReport = { deleted: Record<string, number> };

/**
 * Deletes the logs and their derived collections, then records who did it as
 * the first log of the new chain. Stop the app first: its checkpoint timer
 * must not write between the deletions.
 */
export async function resetLogStore(db: Db, actor: Actor): Promise<ResetReport> {
  const deleted: Record<string, number> = {};
  for (const name of DERIVED_IN_ORDER) {
    deleted[name] = (
      await db.collection(name).deleteMany({}, { writeConcern: { w: "majority", j: true } })
    ).deletedCount;
    // Right after the alerts: the rollups count logs and alerts, and are one collection per day.
    if (name === COLLECTIONS.alertChanges) deleted.rollup_collections = await dropAllPeriods(db);
  }
  await recordSecurityEvent(db, {
    action: "logs_reset",
    status: "success",
    user: actor.user,
    ip: actor.ip,
    message: `Deleted ${deleted[COLLECTIONS.logs]} logs and their checkpoints`,
    metadata: { logs: deleted[COLLECTIONS.logs] ?? 0, checkpoints: deleted[COLLECTIONS.checkpoints] ?? 0 },
  });
  return { deleted };
}
