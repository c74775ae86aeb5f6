// One log with what proves it: its MAC verdict and the signed checkpoint that
// covers its sequence (if one does yet). Reads by _id, which even the
// embedded server answers without a scan.
import type { Db } from "mongodb";
import type { PublicKeySet } from "@/lib/records/integrity/checkpoint-keys";
import { verifyCheckpoint } from "@/lib/records/integrity/checkpoint-record";
import { checkpointsCollection, toSignedCheckpoint } from "@/lib/records/integrity/checkpoints";
import type { Keyring } from "@/lib/records/integrity/keyring";
import { verifyLogMac, type MacVerdict } from "@/lib/records/integrity/mac";
import { logsCollection } from "./collection";
import { signedFieldsOf, type StoredLog } from "./record";

export type CheckpointCoverage =
  { state: "covered"; number: number; created_at: Date; signature_valid: boolean } | { state: "pending" };

export type LogDetail = { log: StoredLog; mac: MacVerdict; checkpoint: CheckpointCoverage };

export async function getLogDetail(
  db: Db,
  logId: string,
  keys: { keyring: Keyring; publicKeys: PublicKeySet },
): Promise<LogDetail | null> {
  const log = await logsCollection(db).findOne({ _id: logId });
  if (!log) return null;
  const mac = verifyLogMac({ ...signedFieldsOf(log), mac: log.mac }, keys.keyring);
  const stored = await checkpointsCollection(db).findOne({
    start_sequence: { $lte: log.sequence },
    end_sequence: { $gt: log.sequence },
  });
  const checkpoint: CheckpointCoverage = stored
    ? {
        state: "covered",
        number: stored._id,
        created_at: stored.created_at,
        signature_valid: verifyCheckpoint(toSignedCheckpoint(stored), keys.publicKeys).verdict === "valid",
      }
    : { state: "pending" };
  return { log, mac, checkpoint };
}
