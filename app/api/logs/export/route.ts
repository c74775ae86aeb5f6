// GET /api/logs/export – the logs a filter matches as CSV (default) or verifiable NDJSON, streamed
import { auditExport } from "@/lib/records/audit/access-audit";
import { getConfig } from "@/lib/foundation/config";
import { getDb } from "@/lib/platform/db/client";
import { actorOf } from "@/lib/features/requests/actor";
import { apiHandler } from "@/lib/features/requests/handler";
import { streamResponse } from "@/lib/platform/http/stream-response";
import { getCheckpointSigner } from "@/lib/records/integrity/active-keyring";
import { exportLimit } from "@/lib/features/requests/read-limits";
import { EXPORT_CONTENT_TYPES, exportChunks, exportFileName } from "@/lib/features/explorer/export-stream";
import { parseLogFilter } from "@/lib/records/logs/filters";

export const GET = apiHandler({ role: "viewer", scope: "read" }, async (request, { principal }) => {
  const filter = parseLogFilter(new URL(request.url).searchParams, new Date());
  const actor = actorOf(principal, request);
  const dependencies = {
    publicKeys: getCheckpointSigner().publicKeys(),
    maxFutureSkewMs: getConfig().ingestMaxFutureSkewMs,
  };
  const db = await getDb();
  // The slot is taken at the first read (streamResponse reads it before answering) and held until the stream is over.
  const chunks = exportLimit().runStream(() =>
    exportChunks(db, filter, dependencies, (rows, ended) => auditExport(actor, filter, rows, ended)),
  );
  return streamResponse(chunks, {
    "Content-Type": EXPORT_CONTENT_TYPES[filter.format],
    "Content-Disposition": `attachment; filename="${exportFileName(filter)}"`,
  });
});
