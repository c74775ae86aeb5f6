// Verification runs: each report is kept (the latest is what /integrity and
// GET /api/integrity show) and each run is an audited security event.
import { randomBytes } from "node:crypto";
import type { Db } from "mongodb";
import { recordSecurityEvent, type Actor } from "@/lib/records/audit/security-events";
import { COLLECTIONS } from "@/lib/platform/db/collections";
import { publicKeySetFromSigner } from "./checkpoint-keys";
import { getCheckpointSigner, getKeyring } from "./active-keyring";
import { verifyStoredLogs, type VerifyReport, type VerifyWindow } from "./verify";

export type StoredReport = VerifyReport & { _id: string; run_by: string };

function reports(db: Db) {
  return db.collection<StoredReport>(COLLECTIONS.integrityReports);
}

/** Verifies everything (or a window) with the configured keys, keeps the report and audits the run. */
export async function runVerification(db: Db, actor: Actor, window: VerifyWindow = {}): Promise<VerifyReport> {
  const report = await verifyStoredLogs(
    db,
    { keyring: getKeyring(), publicKeys: publicKeySetFromSigner(getCheckpointSigner()) },
    window,
  );
  await reports(db).insertOne({
    _id: `${report.started_at.toISOString()}-${randomBytes(4).toString("hex")}`,
    ...report,
    run_by: actor.user,
  });
  await recordSecurityEvent(db, {
    ...actor,
    action: "integrity_verified",
    status: report.ok ? "success" : "failed",
    message: report.ok ? `all ${report.checked} logs verified` : `${report.problem_count} integrity problems found`,
    metadata: { checked: report.checked, problems: report.problem_count, checkpoints: report.checkpoints },
  });
  return report;
}

export async function latestVerifyReport(db: Db): Promise<StoredReport | null> {
  // _ids start with the run's start time, so the greatest is the latest.
  const [latest] = await reports(db).find().sort({ _id: -1 }).limit(1).toArray();
  return latest ?? null;
}
