// OTLP/HTTP answers, in the encoding of the request: ExportLogsServiceResponse
// (partialSuccess only when records were rejected), and for every 4xx and 5xx
// a google.rpc.Status, whose code is the gRPC code closest to the HTTP status.
import { mediaType } from "@/lib/platform/http/body";
import type { RouteHandler } from "@/lib/features/requests/handler";
import { truncateText } from "./metadata";
import type { ExportLogsResult, RejectedRecord } from "./export-logs";
import { encodeExportLogsResponse, encodeStatus } from "./logs-proto";
import type { OtlpEncoding } from "./read-request";

const PROTOBUF = "application/x-protobuf";
const PROBLEMS_NAMED = 5;
const MAX_ERROR_MESSAGE = 4096;

// google.rpc.Code
const GRPC_CODES: Record<number, number> = {
  400: 3,
  401: 16,
  403: 7,
  404: 5,
  409: 6,
  413: 8,
  415: 3,
  429: 8,
  500: 13,
  503: 14,
};
const GRPC_INTERNAL = 13;

export function exportLogsResponse(result: ExportLogsResult, encoding: OtlpEncoding): Response {
  const partialSuccess =
    result.rejected.length > 0
      ? { rejectedLogRecords: result.rejected.length, errorMessage: rejectionMessage(result) }
      : undefined;
  if (encoding === "json") return Response.json(partialSuccess ? { partialSuccess } : {});
  return new Response(Buffer.from(encodeExportLogsResponse(partialSuccess ? { partialSuccess } : {})), {
    headers: { "Content-Type": PROTOBUF },
  });
}

/** How many records were rejected, and the first few problems with the record and field each names. */
export function rejectionMessage({ records, rejected }: Pick<ExportLogsResult, "records" | "rejected">): string {
  const problems = rejected.flatMap(({ at, problems: list }: RejectedRecord) =>
    list.map(({ field, message }) => (field === "(body)" ? `${at}: ${message}` : `${at} ${field}: ${message}`)),
  );
  const named = problems.slice(0, PROBLEMS_NAMED);
  const more = problems.length > PROBLEMS_NAMED ? `; and ${problems.length - PROBLEMS_NAMED} more problems` : "";
  return truncateText(
    `${rejected.length} of ${records} log records rejected: ${named.join("; ")}${more}.`,
    MAX_ERROR_MESSAGE,
  );
}

/** The google.rpc.Status that answers an HTTP error status. */
export function otlpStatusOf(httpStatus: number, message: string): { code: number; message: string } {
  return { code: GRPC_CODES[httpStatus] ?? GRPC_INTERNAL, message };
}

/**
 * Turns the error envelope of lib/platform/http/errors into the google.rpc.Status that
 * OTLP clients read, keeping the status code and headers (Retry-After,
 * WWW-Authenticate); a protobuf request gets it in protobuf. The handler's
 * access stays on it.
 */
export function withOtlpStatus(handler: RouteHandler): RouteHandler {
  const wrapped: (...args: Parameters<RouteHandler>) => Promise<Response> = async (request, context) => {
    const response = await handler(request, context);
    if (response.status < 400) return response;
    const envelope = (await response.json().catch(() => null)) as { error?: { message?: unknown } } | null;
    const message = typeof envelope?.error?.message === "string" ? envelope.error.message : response.statusText;
    const status = otlpStatusOf(response.status, message);
    const headers = new Headers(response.headers);
    headers.delete("content-length");
    if (mediaType(request) === PROTOBUF) {
      headers.set("Content-Type", PROTOBUF);
      return new Response(Buffer.from(encodeStatus(status)), { status: response.status, headers });
    }
    headers.set("Content-Type", "application/json");
    return new Response(JSON.stringify(status), { status: response.status, headers });
  };
  return Object.assign(wrapped, { access: handler.access });
}
