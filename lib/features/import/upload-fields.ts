// The fields of the admin upload form (POST /api/import), besides the file itself.
import { z } from "zod";
import { IMPORT_FORMATS } from "./source";

export const ImportUploadFields = z.strictObject({
  format: z.enum([...IMPORT_FORMATS, "auto"], "must be auto, csv, ndjson, json or syslog").default("auto"),
  dry_run: z
    .enum(["true", "false", "on"], "must be true or false")
    .default("false")
    .transform((value) => value !== "false"),
  /** Empty: the server's LEDGERLINE_LEGACY_KEY, if any. */
  legacy_key: z.string().max(1024, "must be at most 1024 characters").default(""),
});

export type ImportUploadFields = z.infer<typeof ImportUploadFields>;

/** Shown at most in the upload's answer; all refused rows are counted. */
export const UPLOAD_REFUSED_LISTED = 100;
