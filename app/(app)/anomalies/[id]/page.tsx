import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AlertDetailActions } from "@/components/anomalies/detail/AlertDetailActions";
import { AlertFacts } from "@/components/anomalies/detail/AlertFacts";
import { AlertHistory } from "@/components/anomalies/detail/AlertHistory";
import { AlertLogs } from "@/components/anomalies/detail/AlertLogs";
import { NoSuchAlert } from "@/components/anomalies/detail/NoSuchAlert";
import { SubjectActivityChart } from "@/components/anomalies/detail/SubjectActivityChart";
import { MuteFindingsForm } from "@/components/anomalies/suppressions/MuteFindingsForm";
import { FINDING_TYPE_LABELS } from "@/components/anomalies/labels";
import { logRowsOf } from "@/components/logs/log-rows";
import { BackBar } from "@/components/logs/BackBar";
import { PageHeader } from "@/components/ui/PageHeader";
import { ParameterProblems } from "@/components/ui/ParameterProblems";
import { AlertId, getAlert } from "@/lib/derived/alerts/alert-detail";
import { alertLogsFilter, parseAlertLogsPage } from "@/lib/derived/alerts/alert-logs";
import { logsLinkOf } from "@/lib/derived/alerts/logs-link";
import { decodedSegment } from "@/lib/platform/http/path-params";
import { readSubjectActivity } from "@/lib/derived/alerts/subject-activity";
import { severityReason } from "@/lib/records/anomaly/severity";
import { pageActor, requireUser } from "@/lib/records/auth/page-auth";
import { hasRole } from "@/lib/records/auth/roles";
import { getConfig } from "@/lib/foundation/config";
import { getDb } from "@/lib/platform/db/client";
import { searchLogPage } from "@/lib/features/explorer/audited-reads";
import { ingestedByNamer } from "@/lib/features/explorer/ingested-by-labels";
import { toSearchParams, type PageSearchParams } from "@/lib/records/logs/explorer-params";

export const metadata: Metadata = { title: "Alert" };

export default async function AlertPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<PageSearchParams>;
}) {
  const user = await requireUser();
  if (user === "unavailable") return null; // the layout shows the outage
  const id = AlertId.safeParse(decodedSegment((await params).id));
  if (!id.success) {
    return (
      <NoSuchAlert title="This is not an alert's address" tone="error">
        <p>The last part of the address {id.error.issues[0]!.message}. Open the alert from the list instead.</p>
      </NoSuchAlert>
    );
  }
  const db = await getDb();
  const alert = await getAlert(db, id.data);
  if (!alert) notFound();
  const logsPage = parseAlertLogsPage(toSearchParams(await searchParams));
  const subject = {
    ...(alert.ip !== undefined && { ip: alert.ip }),
    ...(alert.user !== undefined && { user: alert.user }),
  };
  const explorer = logsLinkOf(alert);
  const [activity, logs, nameIngestedBy] = await Promise.all([
    readSubjectActivity(db, subject, alert),
    "page" in logsPage ? searchLogPage(db, alertLogsFilter(alert, logsPage.page), await pageActor(user), "page") : null,
    ingestedByNamer(db),
  ]);
  const subjectText = [alert.ip, alert.user, alert.source].filter(Boolean).join(" · ");

  return (
    <>
      <PageHeader title={`${FINDING_TYPE_LABELS[alert.type]}: ${subjectText}`} description={`Alert ${alert._id}`} />
      <BackBar href="/anomalies" label="All alerts" />
      <div className="space-y-8" data-alert-id={alert._id} data-alert-status={alert.status}>
        <div className="grid gap-6 lg:grid-cols-3">
          <div className="lg:col-span-2">
            <AlertFacts
              alert={alert}
              severityReason={severityReason(alert.type, alert.severity, getConfig().anomaly)}
            />
          </div>
          <div className="space-y-6">
            <AlertDetailActions alert={alert} canChange={hasRole(user.role, "analyst")}>
              <MuteFindingsForm
                defaults={{
                  type: alert.type,
                  ...(alert.ip && { ip: alert.ip }),
                  ...(alert.user && { user: alert.user }),
                  ...(alert.source && { source: alert.source }),
                }}
              />
            </AlertDetailActions>
            <AlertHistory alert={alert} />
          </div>
        </div>
        <SubjectActivityChart alert={alert} activity={activity} />
        {"problems" in logsPage ? (
          <ParameterProblems title="This page of logs cannot be shown" problems={logsPage.problems}>
            <Link className="underline" href={{ pathname: `/anomalies/${encodeURIComponent(alert._id)}` }}>
              Show the first page
            </Link>
            .
          </ParameterProblems>
        ) : (
          <AlertLogs
            alertId={alert._id}
            rows={logRowsOf(logs!.items, nameIngestedBy)}
            page={logs!}
            explorer={explorer}
          />
        )}
      </div>
    </>
  );
}
