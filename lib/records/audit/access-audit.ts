// Who read what, and who was refused: the aggregated security events of
// reads (searches, log views, exports), refused requests and failed imports,
// written through one aggregator per process.
import { getDb } from "@/lib/platform/db/client";
import { filterToSearchParams, type LogFilter } from "@/lib/records/logs/filters";
import { LogInput } from "@/lib/records/logs/schemas";
import { AuditAggregator, type AggregatedEvent } from "./aggregated-events";
import { recordSecurityEvent, type Actor } from "./security-events";

/** The user of a refused request that named nobody (no or an unknown API key or session). */
export const ANONYMOUS = "anonymous";

// On globalThis: Next.js bundles the instrumentation hook (which flushes at
// shutdown) apart from the routes, and each bundle has its own module instances.
const holder = globalThis as typeof globalThis & { ledgerlineAuditAggregator?: AuditAggregator };

function aggregator(): AuditAggregator {
  holder.ledgerlineAuditAggregator ??= new AuditAggregator({
    // The schema that refuses what the embedded server cannot store, as for any log sent to POST /api/logs.
    write: async (event) =>
      recordSecurityEvent(await getDb(), { ...event, metadata: LogInput.shape.metadata.parse(event.metadata) }),
  });
  return holder.ledgerlineAuditAggregator;
}

function record(actor: Actor, event: Omit<AggregatedEvent, "user" | "ip">): void {
  aggregator().record({ ...event, user: actor.user, ...(actor.ip !== undefined && { ip: actor.ip }) });
}

/** Writes what is counted now and waits for every audit write begun so far (shutdown, the CLI, tests). */
export function flushAuditEvents(): Promise<void> {
  return holder.ledgerlineAuditAggregator?.flush() ?? Promise.resolve();
}

/** The filter as query parameters, without paging and format: what an auditor would search again. */
export function filterText(filter: LogFilter): string {
  return (
    filterToSearchParams({
      ...filter,
      cursor: undefined,
      before: undefined,
      format: "csv",
      tz: undefined,
    }).toString() || "(all logs)"
  );
}

export type Refusal = { status: 401 | 403; method: string; path: string; reason: string };

export function auditRefusedRequest(actor: Actor, { status, method, path, reason }: Refusal): void {
  record(actor, {
    action: "request_refused",
    status: "failed",
    message: `${method} ${path} refused with ${status}: ${reason}`,
    noun: "refused requests",
    subject: { name: "request", value: `${method} ${path}` },
    labels: { status_code: status },
  });
}

export function auditSearch(actor: Actor, filter: LogFilter, rows: number, via: "api" | "page"): void {
  record(actor, {
    action: "logs_searched",
    status: "success",
    message: `searched the logs (${via === "api" ? "GET /api/logs" : "the log explorer"}): ${rows} rows shown`,
    noun: "searches",
    subject: { name: "filter", value: filterText(filter) },
    labels: { via },
    amounts: { rows },
  });
}

export function auditLogView(actor: Actor, logId: string): void {
  record(actor, {
    action: "log_viewed",
    status: "success",
    message: `viewed log ${logId}`,
    noun: "log views",
    subject: { name: "log_id", value: logId },
  });
}

export type ExportEnd = "complete" | "cancelled" | "failed";

export function auditExport(actor: Actor, filter: LogFilter, rows: number, ended: ExportEnd): void {
  record(actor, {
    action: "logs_exported",
    status: ended === "complete" ? "success" : "failed",
    message: `exported ${rows} logs as ${filter.format.toUpperCase()}${ended === "complete" ? "" : ` (${ended} before the end)`}`,
    noun: "exports",
    subject: { name: "filter", value: filterText(filter) },
    labels: { format: filter.format, ended },
    amounts: { rows },
  });
}

export type FailedImport = { fileName?: string; format: string; rows: number; imported: number; problem: string };

export function auditFailedImport(actor: Actor, { fileName, format, rows, imported, problem }: FailedImport): void {
  record(actor, {
    action: "logs_import_failed",
    status: "failed",
    message: `import failed after ${rows} rows (${imported} imported): ${problem}`,
    noun: "failed imports",
    ...(fileName !== undefined && { subject: { name: "file", value: fileName } }),
    labels: { format },
    amounts: { rows, imported },
  });
}
