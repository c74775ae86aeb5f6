// Errors are values with a shape: one class with a code, one table from code
// to HTTP status, and one converter that turns anything else into a generic
// 500 (or a 503 when the database is unreachable or out of disk space, or the
// server busy) without internals.
import { isDatabaseUnavailable } from "@/lib/platform/db/errors";
import { isStorageFull, noteStorageFull } from "@/lib/platform/db/storage-full";
import { DatabaseBackloggedError, DatabaseTooSlowError } from "@/lib/platform/db/time-budget";
import { BusyError } from "@/lib/foundation/util/concurrency-limit";

export const ERROR_STATUS = {
  validation_failed: 400,
  invalid_json: 400,
  unauthorized: 401,
  second_factor_required: 401,
  forbidden: 403,
  mfa_enrolment_required: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  database_unavailable: 503,
  server_busy: 503,
  storage_full: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** 429 for passwords or codes refused by the sign-in limits. */
export function tooManyAttemptsError(retryAfterSeconds: number): ApiError {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return new ApiError(
    "rate_limited",
    `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    undefined,
    {
      "Retry-After": String(retryAfterSeconds),
    },
  );
}

export const DATABASE_RETRY_AFTER_SECONDS = 5;
/** Space is freed by an operator, not by waiting: clients come back less often than after an outage. */
export const STORAGE_FULL_RETRY_AFTER_SECONDS = 30;

/** Any thrown value as an ApiError that is safe to show to the caller. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof BusyError) {
    return new ApiError("server_busy", error.message, undefined, { "Retry-After": String(error.retryAfterSeconds) });
  }
  if (isStorageFull(error)) {
    noteStorageFull();
    // An insertMany refused midway keeps the logs it stored before: a retry with
    // the same log_ids stores each of them once (ingest.ts counts them as duplicates).
    return new ApiError(
      "storage_full",
      "The database has no disk space left, so this request was not completed; logs sent with a log_id are stored once however often they are sent. Retry later.",
      undefined,
      { "Retry-After": String(STORAGE_FULL_RETRY_AFTER_SECONDS) },
    );
  }
  if (error instanceof DatabaseTooSlowError) {
    return new ApiError(
      "database_unavailable",
      `The database did not answer within ${error.limitMs / 1000} s. What this request sent may still be stored; logs sent again with the same log_id are stored once. Retry later.`,
      undefined,
      { "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS) },
    );
  }
  if (error instanceof DatabaseBackloggedError) {
    return new ApiError(
      "database_unavailable",
      `The database has not yet finished the work of ${error.abandoned} requests that timed out, so this request was refused before it sent anything; nothing of it was stored. Retry later.`,
      undefined,
      { "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS) },
    );
  }
  if (isDatabaseUnavailable(error)) {
    return new ApiError("database_unavailable", "The database is unavailable; retry later.", undefined, {
      "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS),
    });
  }
  return new ApiError("internal_error", "An unexpected error occurred.");
}

export function errorResponse(error: ApiError): Response {
  const body = { error: { code: error.code, message: error.message, details: error.details ?? null } };
  return Response.json(body, { status: error.status, headers: { "Cache-Control": "no-store", ...error.headers } });
}
