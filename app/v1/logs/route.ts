// POST /v1/logs – OTLP/HTTP export of logs (JSON or binary protobuf), stored record by record
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { apiHandler } from "@/lib/http/handler";
import { admitIngestRequest } from "@/lib/http/ingest-request";
import { exportLogs } from "@/lib/otlp/export-logs";
import { otlpEncodingOf, readExportLogsRequest } from "@/lib/otlp/read-request";
import { exportLogsResponse, withOtlpStatus } from "@/lib/otlp/responses";

export const dynamic = "force-dynamic";

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
