import {
  MongoBulkWriteError,
  MongoNetworkError,
  MongoServerClosedError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from "mongodb";

/**
 * A unique-index violation. MongoDB and FerretDB report 11000 on insert and
 * upsert; FerretDB v1 reports code 1 with "UNIQUE constraint failed" when a
 * plain update breaks a unique index.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 11000 || (code === 1 && typeof message === "string" && message.includes("UNIQUE constraint failed"));
}

/** An insertMany refused only because some documents were already there (each a unique-index violation). */
export function isOnlyDuplicateKeyErrors(error: unknown): boolean {
  return isDuplicateKeyError(error) || duplicateIndexesOf(error) !== undefined;
}

/**
 * The positions of the documents an insertMany refused as already there, when
 * that is all that went wrong; undefined for any other error. A bulk write the
 * driver gave up on (the connection lost mid-request, a write concern not met)
 * is also a MongoBulkWriteError, with no write errors at all: the server has
 * not said what it stored, so that is never read as "everything stored".
 */
export function duplicateIndexesOf(error: unknown): number[] | undefined {
  if (!(error instanceof MongoBulkWriteError)) return undefined;
  const writeErrors = [error.writeErrors].flat();
  if (writeErrors.length === 0 || error.result?.getWriteConcernError() || !writeErrors.every(isDuplicateKeyError))
    return undefined;
  return writeErrors.map((writeError) => writeError.index);
}

// A cleared pool's error is a MongoNetworkError. The driver can also let a
// bare socket error through when the server dies mid-write (seen: EPIPE,
// "This socket has been ended by the other party").
const SOCKET_ERROR_CODES = new Set(["EPIPE", "ECONNRESET", "ECONNREFUSED", "ETIMEDOUT"]);

export function isDatabaseUnavailable(error: unknown): boolean {
  return (
    // A bulk write cut off by a lost connection carries the network error as its response.
    (error instanceof MongoBulkWriteError &&
      error.errorResponse instanceof Error &&
      isDatabaseUnavailable(error.errorResponse)) ||
    error instanceof MongoServerSelectionError ||
    error instanceof MongoNetworkError ||
    error instanceof MongoTopologyClosedError ||
    error instanceof MongoServerClosedError ||
    SOCKET_ERROR_CODES.has((error as { code?: unknown } | null)?.code as string)
  );
}
