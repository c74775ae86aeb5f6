import { z } from "zod";
import { IMPORT_FORMATS } from "@/lib/features/import/source";
import { ImportUploadFields, UPLOAD_REFUSED_LISTED } from "@/lib/features/import/upload-fields";
import { EXAMPLE_IMPORT_REPORT, ImportReportAnswer } from "@/lib/features/openapi/answers/import";
import { defineRoute, json } from "@/lib/features/openapi/define-route";
import * as route from "./route";

const FORMATS = IMPORT_FORMATS.join(", ");

const Upload = ImportUploadFields.extend({
  file: z.file().meta({ description: `A file of logs (${FORMATS}), at most IMPORT_MAX_UPLOAD_BYTES (20 MiB).` }),
});

export default defineRoute("/api/import", route, {
  POST: {
    operationId: "importLogs",
    summary: `Upload a file of logs: ${FORMATS}`,
    description: `Rows are checked and stored in batches; refused rows are counted, and the first ${UPLOAD_REFUSED_LISTED} listed. A dry run stores nothing.`,
    tag: "import",
    body: { content: { "multipart/form-data": { schema: Upload } } },
    responses: { 200: { description: "The import report.", content: json(ImportReportAnswer, EXAMPLE_IMPORT_REPORT) } },
    errors: ["validation_failed", "payload_too_large"],
  },
});
