// Files holding secrets, password hashes or every log are readable by their
// owner alone from the first byte: the mode is given when the file or folder
// is created (a umask can only take bits away), never set afterwards.
import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import path from "node:path";

export const OWNER_ONLY_FILE = 0o600;
export const OWNER_ONLY_FOLDER = 0o700;

/**
 * Creates or replaces `file` with `text`, written to a new owner-only file in
 * the same folder and renamed over it: the file is never half written and
 * never readable by others, even for a moment.
 */
export function replaceOwnerOnlyFile(file: string, text: string): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  const fd = openSync(temporary, "wx", OWNER_ONLY_FILE);
  try {
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** Sets an existing file that others may read or write to 0600; returns the mode it had, or null when unchanged. */
export function tightenToOwnerOnly(file: string): number | null {
  let mode: number;
  try {
    mode = statSync(file).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  if ((mode & 0o077) === 0) return null;
  chmodSync(file, OWNER_ONLY_FILE);
  return mode;
}
