// A database whose disk is full refuses writes and still answers reads, and
// takes writes again by itself once space is freed. The embedded server
// (FerretDB on SQLite) reports it as InternalError (code 1) carrying SQLite's
// "database or disk is full (13)"; MongoDB as OutOfDiskSpace (14031). This
// process remembers its latest refusal for GET /api/health.

const OUT_OF_DISK_SPACE = 14031;
const SQLITE_FULL_TEXT = "database or disk is full";
/** How long a refusal counts when nothing was stored since (the space may have been freed meanwhile). */
export const STORAGE_FULL_REPORT_MS = 60_000;

export function isStorageFull(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === OUT_OF_DISK_SPACE || (typeof message === "string" && message.includes(SQLITE_FULL_TEXT));
}

// On globalThis: Next.js bundles the instrumentation hook (whose checkpoint
// timer writes too) apart from the routes, each bundle with its own module instances.
const holder = globalThis as typeof globalThis & { ledgerlineStorageRefusedAt?: number };

/** A write was refused for lack of space. */
export function noteStorageFull(now = Date.now()): void {
  holder.ledgerlineStorageRefusedAt = now;
}

/** Logs were stored: the disk has room again. */
export function noteStored(): void {
  holder.ledgerlineStorageRefusedAt = undefined;
}

/** Whether a write was refused for lack of space within STORAGE_FULL_REPORT_MS and nothing was stored since. */
export function isStorageFullNow(now = Date.now()): boolean {
  const refusedAt = holder.ledgerlineStorageRefusedAt;
  return refusedAt !== undefined && now - refusedAt < STORAGE_FULL_REPORT_MS;
}
