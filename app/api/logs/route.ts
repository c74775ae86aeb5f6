// POST /api/logs – ingest one log, a JSON array of logs, or NDJSON
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { mediaType, readBodyText } from "@/lib/http/body";
import { apiHandler } from "@/lib/http/handler";
import { getKeyring } from "@/lib/integrity/active-keyring";
import { ingestLogs } from "@/lib/logs/ingest";
import { checkLogBatchType, parseLogBatch } from "@/lib/logs/parse-batch";

export const dynamic = "force-dynamic";

export const POST = apiHandler({ scope: "ingest" }, async (request) => {
  const config = getConfig();
  const type = mediaType(request);
  checkLogBatchType(type);
  const text = await readBodyText(request, config.ingestMaxBodyBytes);
  const inputs = parseLogBatch(text, type, config.ingestMaxItems);
  const result = await ingestLogs(await getDb(), inputs, {
    keyring: getKeyring(),
    maxFutureSkewMs: config.ingestMaxFutureSkewMs,
  });
  return Response.json(result, { status: result.accepted > 0 ? 201 : 200, headers: { "Cache-Control": "no-store" } });
});
