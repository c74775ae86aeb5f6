import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { BackBar } from "@/components/logs/BackBar";
import { IntegrityBadge } from "@/components/logs/IntegrityBadge";
import { LegacyHashVerdict } from "@/components/logs/LegacyHashVerdict";
import { LocalTime } from "@/components/logs/LocalTime";
import { StatusBadge } from "@/components/logs/StatusBadge";
import { Card } from "@/components/ui/Card";
import { PageHeader } from "@/components/ui/PageHeader";
import { pageActor, requireUser } from "@/lib/records/auth/page-auth";
import { getDb } from "@/lib/platform/db/client";
import { decodedSegment } from "@/lib/platform/http/path-params";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { publicKeySetFromSigner } from "@/lib/records/integrity/checkpoint-keys";
import { viewLogDetail } from "@/lib/features/explorer/audited-reads";
import { ingestedByNamer } from "@/lib/features/explorer/ingested-by-labels";
import type { CheckpointCoverage } from "@/lib/records/logs/log-detail";
import { LogId } from "@/lib/records/logs/schemas";

export const metadata: Metadata = { title: "Log" };

export default async function LogDetailPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  if (user === "unavailable") return null; // the layout shows the outage
  const id = LogId.safeParse(decodedSegment((await params).id));
  if (!id.success) notFound();
  const detail = await viewLogDetail(await getDb(), id.data, await pageActor(user), {
    keyring: getKeyring(),
    publicKeys: publicKeySetFromSigner(getCheckpointSigner()),
  });
  if (!detail) notFound();
  const { log, mac, checkpoint } = detail;
  const ingestedByLabel = (await ingestedByNamer(await getDb()))(log.ingested_by ?? undefined);
  const related = (field: "ip" | "user" | "ingested_by", value: string) => ({
    pathname: "/logs",
    query: { [field]: value, range: "7d" },
  });

  return (
    <>
      <PageHeader title={`${log.action} by ${log.user}`} description={`Log ${log._id}`} />
      <BackBar href="/logs" label="All logs" />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <Card title="Event">
            <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2">
              <Field name="Time">
                <LocalTime iso={log.time.toISOString()} />{" "}
                <span className="text-xs text-slate-500">
                  (sent as {log.timestamp}
                  {log.timestamp_defaulted ? ", the receive time: the client sent none" : ""})
                </span>
              </Field>
              <Field name="Status">
                <StatusBadge status={log.status} />
              </Field>
              <Field name="User">
                <span className="break-all">{log.user}</span> ·{" "}
                <Link className="text-sky-800 underline" href={related("user", log.user)}>
                  other logs of this user
                </Link>
              </Field>
              <Field name="IP">
                {log.ip == null ? (
                  <span className="text-slate-500">none (the event has no client address)</span>
                ) : (
                  <>
                    <span className="font-mono">{log.ip}</span> ·{" "}
                    <Link className="text-sky-800 underline" href={related("ip", log.ip)}>
                      other logs from this IP
                    </Link>
                  </>
                )}
              </Field>
              <Field name="Action">{log.action}</Field>
              <Field name="Source">{log.source ?? "—"}</Field>
              <Field name="Message">
                <span className="whitespace-pre-wrap break-words">{log.message ?? "—"}</span>
              </Field>
              <Field name="Metadata">
                {log.metadata && Object.keys(log.metadata).length > 0 ? (
                  <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1">
                    {Object.entries(log.metadata).map(([key, value]) => (
                      <div key={key} className="contents">
                        <dt className="font-mono text-xs text-slate-500">{key}</dt>
                        <dd className="font-mono text-xs break-all">{JSON.stringify(value)}</dd>
                      </div>
                    ))}
                  </dl>
                ) : (
                  "—"
                )}
              </Field>
              <Field name="Received">
                <LocalTime iso={log.received_at.toISOString()} />
              </Field>
              <Field name="Ingested by">
                {log.ingested_by == null ? (
                  <span className="text-slate-500">not recorded (stored before Ledgerline recorded it)</span>
                ) : (
                  <>
                    <span className="break-all">{ingestedByLabel}</span>
                    {ingestedByLabel !== log.ingested_by && (
                      <code className="ml-2 font-mono text-xs text-slate-500">{log.ingested_by}</code>
                    )}{" "}
                    ·{" "}
                    <Link className="text-sky-800 underline" href={related("ingested_by", log.ingested_by)}>
                      other logs it stored
                    </Link>
                  </>
                )}
              </Field>
            </dl>
          </Card>
        </div>
        <Card title="Integrity">
          <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-2">
            <Field name="This log">
              <IntegrityBadge verdict={mac} />
            </Field>
            <Field name="Sequence">{log.sequence}</Field>
            <Field name="Key id">
              <code className="font-mono">{log.key_id}</code>
            </Field>
            <Field name="MAC">
              <code className="font-mono text-xs break-all">{log.mac}</code>
            </Field>
            <Field name="Checkpoint">
              <Coverage checkpoint={checkpoint} />
            </Field>
            {log.metadata?.legacy_hash !== undefined && (
              <Field name="Legacy hash">
                <LegacyHashVerdict metadata={log.metadata} />
              </Field>
            )}
          </dl>
          <p className="mt-4 text-xs text-slate-500">
            The MAC proves this log is unchanged. That no log around it was removed or reordered is proven by the
            checkpoint chain: run a full verification on the{" "}
            <Link className="underline" href="/integrity">
              integrity page
            </Link>
            .
          </p>
        </Card>
      </div>
    </>
  );
}

function Field({ name, children }: { name: string; children: React.ReactNode }) {
  return (
    <>
      <dt className="font-medium text-slate-700">{name}</dt>
      <dd className="min-w-0 text-slate-900">{children}</dd>
    </>
  );
}

function Coverage({ checkpoint }: { checkpoint: CheckpointCoverage }) {
  if (checkpoint.state === "pending") return <span>not yet covered (checkpoints are written every minute)</span>;
  return (
    <span>
      covered by checkpoint {checkpoint.number},{" "}
      {checkpoint.signature_valid ? (
        "whose signature verifies"
      ) : (
        <strong className="text-red-800">whose signature does NOT verify</strong>
      )}
    </span>
  );
}
