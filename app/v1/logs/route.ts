// POST /v1/logs – OTLP/HTTP export of logs (JSON or binary protobuf), stored record by record
import { getConfig } from "@/lib/foundation/config";
import { getDb } from "@/lib/platform/db/client";
import { apiHandler } from "@/lib/features/requests/handler";
import { admitIngestRequest } from "@/lib/features/requests/ingest-request";
import { exportLogs } from "@/lib/features/otlp/export-logs";
import { otlpEncodingOf, readExportLogsRequest } from "@/lib/features/otlp/read-request";
import { exportLogsResponse, withOtlpStatus } from "@/lib/features/otlp/responses";

export const POST = withOtlpStatus(
  apiHandler({ scope: "ingest" }, async (request, { principal, budget }) => {
    const config = getConfig();
    const db = await getDb();
    await admitIngestRequest(db, principal, budget);
    const encoding = otlpEncodingOf(request);
    const body = await readExportLogsRequest(request, encoding, config.ingestMaxBodyBytes);
    return exportLogsResponse(await exportLogs(db, principal, body, config.ingestMaxItems, budget), encoding);
  }),
);
