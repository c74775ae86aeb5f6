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
  if (isDuplicateKeyError(error)) return true;
  const writeErrors = (error as { writeErrors?: unknown[] }).writeErrors;
  return Array.isArray(writeErrors) && writeErrors.length > 0 && writeErrors.every(isDuplicateKeyError);
}
