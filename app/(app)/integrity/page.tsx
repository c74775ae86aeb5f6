import type { Metadata } from "next";
import { VerificationResult } from "@/components/integrity/VerificationResult";
import { VerifyNowButton } from "@/components/integrity/VerifyNowButton";
import { secondaryButton } from "@/components/ui/buttons";
import { Card } from "@/components/ui/Card";
import { PageHeader } from "@/components/ui/PageHeader";
import { requireUser } from "@/lib/records/auth/page-auth";
import { getDb } from "@/lib/platform/db/client";
import { latestCheckpoint } from "@/lib/records/integrity/checkpoints";
import { latestVerifyReport } from "@/lib/records/integrity/reports";

export const metadata: Metadata = { title: "Integrity" };

export default async function IntegrityPage() {
  const user = await requireUser();
  if (user === "unavailable") return null; // the layout shows the outage
  const db = await getDb();
  const [checkpoint, report] = await Promise.all([latestCheckpoint(db), latestVerifyReport(db)]);
  return (
    <>
      <PageHeader
        title="Integrity"
        description="Proof that stored logs are unchanged: signatures, checkpoints and verification runs."
      />
      <div className="space-y-6">
        <Card title="Latest checkpoint">
          {checkpoint ? (
            <p>
              Checkpoint {checkpoint.number} covers sequences {checkpoint.start_sequence}–{checkpoint.end_sequence - 1}{" "}
              ({checkpoint.log_count} logs, {checkpoint.voids.length} void), signed with key{" "}
              <code className="font-mono">{checkpoint.key_id}</code> at{" "}
              <time dateTime={checkpoint.created_at.toISOString()}>
                {checkpoint.created_at.toISOString().replace("T", " ").slice(0, 19)} UTC
              </time>
              . Anyone can check it with the public key at <code className="font-mono">/api/integrity/public-key</code>.
            </p>
          ) : (
            <p>
              No checkpoint yet. Ledgerline writes one every minute; an administrator can also run{" "}
              <code className="font-mono">npm run checkpoint</code>.
            </p>
          )}
        </Card>
        <Card title="For auditors">
          <p>
            Download what an auditor needs to check the logs without access to Ledgerline: the verifiable export (every
            log with its MAC and every signed checkpoint, as NDJSON) and the public keys. Keep the signed head somewhere
            else to prove later that history was not rewritten.
          </p>
          <ul className="mt-3 flex flex-wrap gap-3">
            <li>
              <a className={secondaryButton} href="/api/logs/export?format=ndjson" download>
                Verifiable export (NDJSON)
              </a>
            </li>
            <li>
              <a className={secondaryButton} href="/api/integrity/public-key" download="ledgerline-public-keys.json">
                Public keys (JSON)
              </a>
            </li>
            <li>
              <a className={secondaryButton} href="/api/integrity/head" download="ledgerline-head.json">
                Signed head (JSON)
              </a>
            </li>
          </ul>
          <p className="mt-3">
            Check them offline with{" "}
            <code className="font-mono">
              npm run verify -- --file export.ndjson --public-key ledgerline-public-keys.json
            </code>
            , and later <code className="font-mono">npm run verify -- --since-head ledgerline-head.json</code>.
          </p>
        </Card>
        <Card title="Last verification">
          {report ? <VerificationResult report={report} /> : <p>No verification has run yet.</p>}
          {user.role === "admin" && (
            <div className="mt-4">
              <VerifyNowButton />
            </div>
          )}
        </Card>
      </div>
    </>
  );
}
