// POST /api/import – an administrator uploads a CSV, NDJSON, JSON or syslog file of logs; answers the import report
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { getConfig } from "@/lib/foundation/config";
import { getDb } from "@/lib/platform/db/client";
import { readFormData } from "@/lib/platform/http/body";
import { actorOf, ingestedByOf } from "@/lib/features/requests/actor";
import { ApiError } from "@/lib/platform/http/errors";
import { apiHandler } from "@/lib/features/requests/handler";
import { describeIssues, validationError } from "@/lib/platform/http/validation";
import { importLogs } from "@/lib/features/import/import-logs";
import { ImportFileError } from "@/lib/features/import/source";
import { ImportUploadFields, UPLOAD_REFUSED_LISTED } from "@/lib/features/import/upload-fields";
import { getKeyring } from "@/lib/records/integrity/active-keyring";

export const POST = apiHandler({ role: "admin", bodyType: "multipart" }, async (request, { principal }) => {
  const config = getConfig();
  const form = await readFormData(request, config.importMaxUploadBytes);
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0)
    throw new ApiError("validation_failed", "Choose a non-empty file to import (form field 'file').");
  const fields = ImportUploadFields.safeParse(
    Object.fromEntries([...form.entries()].filter(([name]) => name !== "file")),
  );
  if (!fields.success) throw validationError(describeIssues(fields.error.issues), "nothing was imported");
  const { format, dry_run: dryRun, legacy_key: legacyKey } = fields.data;
  try {
    const report = await importLogs(await getDb(), Readable.fromWeb(file.stream() as NodeReadableStream<Uint8Array>), {
      format: format === "auto" ? undefined : format,
      fileName: file.name,
      dryRun,
      legacyKey: legacyKey || config.legacyKey,
      keyring: getKeyring(),
      maxFutureSkewMs: config.ingestMaxFutureSkewMs,
      ingestedBy: ingestedByOf(principal),
      maxRefusedListed: UPLOAD_REFUSED_LISTED,
      actor: actorOf(principal, request),
    });
    return Response.json(report);
  } catch (error) {
    if (error instanceof ImportFileError) throw new ApiError("validation_failed", `${file.name}: ${error.message}`);
    throw error;
  }
});
