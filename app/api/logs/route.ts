// POST /api/logs – ingest one log, a JSON array of logs, or NDJSON
// GET /api/logs – one page of the logs a filter matches, newest first by default
import { getConfig } from "@/lib/foundation/config";
import { getDb } from "@/lib/platform/db/client";
import { actorOf } from "@/lib/features/requests/actor";
import { mediaType, readBodyText } from "@/lib/platform/http/body";
import { apiHandler } from "@/lib/features/requests/handler";
import { admitIngestRequest, ingestForPrincipal } from "@/lib/features/requests/ingest-request";
import { parseLogFilter } from "@/lib/records/logs/filters";
import { logJson } from "@/lib/records/logs/log-json";
import { checkLogBatchType, parseLogBatch } from "@/lib/records/logs/parse-batch";
import { searchLogPage } from "@/lib/features/explorer/audited-reads";

export const POST = apiHandler({ scope: "ingest" }, async (request, { principal, budget }) => {
  const config = getConfig();
  const db = await getDb();
  await admitIngestRequest(db, principal, budget);
  const type = mediaType(request);
  checkLogBatchType(type);
  const text = await readBodyText(request, config.ingestMaxBodyBytes);
  const result = await ingestForPrincipal(db, principal, parseLogBatch(text, type, config.ingestMaxItems), budget);
  return Response.json(result, { status: result.accepted > 0 ? 201 : 200 });
});

export const GET = apiHandler({ role: "viewer", scope: "read" }, async (request, { principal }) => {
  const filter = parseLogFilter(new URL(request.url).searchParams, new Date());
  const page = await searchLogPage(await getDb(), filter, actorOf(principal, request), "api");
  return Response.json({ items: page.items.map(logJson), next_cursor: page.nextCursor, prev_cursor: page.prevCursor });
});
