// An alert's logs, for its detail page: the explorer's filter for its subject
// over its window, oldest first, paged by the explorer's cursors (the alert
// itself keeps only the first few log ids).
import { z } from "zod";
import type { FieldProblem } from "@/lib/platform/http/validation";
import { parsePageParams } from "@/lib/platform/http/page-params";
import { CursorParam, type LogCursor } from "@/lib/records/logs/cursor";
import type { LogFilter } from "@/lib/records/logs/filters";
import type { Alert } from "./alert-record";

export const ALERT_LOGS_PAGE = 25;
const ORDER = "asc";

const wrongOrder = (cursor: LogCursor | undefined) => cursor !== undefined && cursor.sort !== ORDER;

const AlertLogsParams = z
  .strictObject({ cursor: CursorParam.optional(), before: CursorParam.optional() })
  .refine((params) => !(params.cursor && params.before), {
    path: ["before"],
    message: "cannot be combined with cursor; page forwards with cursor or back with before",
  })
  .refine((params) => !wrongOrder(params.cursor), {
    path: ["cursor"],
    message: "belongs to another order; start again from the first page",
  })
  .refine((params) => !wrongOrder(params.before), {
    path: ["before"],
    message: "belongs to another order; start again from the first page",
  });

export type AlertLogsPage = { cursor?: LogCursor; before?: LogCursor };

/** Which page of the alert's logs the address asks for, or the problems with it. */
export function parseAlertLogsPage(params: URLSearchParams): { page: AlertLogsPage } | { problems: FieldProblem[] } {
  const parsed = parsePageParams(AlertLogsParams, params);
  return "problems" in parsed ? parsed : { page: parsed.values };
}

/** The explorer's filter for the alert's subject over its window, ends included. */
export function alertLogsFilter(
  alert: Pick<Alert, "ip" | "user" | "source" | "start" | "end">,
  page: AlertLogsPage,
): LogFilter {
  return {
    ...(alert.ip && { ip: [alert.ip] }),
    ...(alert.user && { user: [alert.user] }),
    ...(alert.source && { source: [alert.source] }),
    from: alert.start,
    to: alert.end,
    ...page,
    limit: ALERT_LOGS_PAGE,
    sort: ORDER,
    format: "csv",
  };
}
